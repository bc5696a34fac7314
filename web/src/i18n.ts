// Every UI string lives here, so a translation is one table and nothing else. Numbers, dates and
// relative times come from Intl (formatted for the browser's full locale, e.g. en-GB or ru-RU).

import type { SyncKind } from "../../shared/db/schema";

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };
type ImportBucket = "valid" | "invalid" | "blacklist" | "duplicate" | "error";
type ImportState = "queued" | "running" | "completed" | "cancelled" | "failed";
type RunState = "queued" | "running" | "succeeded" | "failed" | "cancelled";
type SyncKindName = SyncKind;


export type Messages = {
  title: string;
  searchLabel: string;
  searchPlaceholder: string;
  columns: {
    name: string;
    email: string;
    phone: string;
    company: string;
    tags: string;
    dateAdded: string;
    dateUpdated: string;
  };
  /** Accessible name of a sortable header button. */
  sortBy: (column: string) => string;
  /** Accessible name of a column's resize handle. */
  resizeColumn: (column: string) => string;
  columnsMenu: string;
  columnsMenuHint: string;
  resetColumns: string;
  noName: string;
  sync: { fresh: string; background: string; stale: string; errorFallback: string };
  badge: { idle: string; syncing: string; error: string; never: string };
  lastSynced: (relative: string) => string;
  neverSynced: string;
  justNow: string;
  /** "{n} contacts", with {n} already formatted. */
  contacts: Plural;
  loading: string;
  loadingMore: string;
  empty: string;
  emptySearch: (q: string) => string;
  errorTitle: string;
  unauthorized: string;
  networkError: string;
  loadMoreFailed: string;
  retry: string;
  newerData: string;
  refresh: string;
  refreshLabel: string;
  tableLabel: string;
  openContact: (name: string) => string;
  drawer: {
    close: string;
    loading: string;
    error: string;
    email: string;
    phone: string;
    company: string;
    source: string;
    tags: string;
    dateAdded: string;
    dateUpdated: string;
    tasks: string;
    notes: string;
    conversations: string;
    opportunities: string;
    none: string;
    completed: string;
    due: (date: string) => string;
    relatedSynced: (relative: string) => string;
    relatedNever: string;
  };
  syncPanel: {
    title: string;
    progress: string;
    pages: string;
    entities: string;
    requests: string;
    rps: string;
    eta: string;
    etaUnknown: string;
    seconds: (n: string) => string;
    startFailed: string;
    kinds: Record<SyncKindName, string>;
    runStatus: Record<RunState, string>;
  };
  runs: {
    title: string;
    empty: string;
    loading: string;
    chartTitle: string;
    chartDesc: (limit: string) => string;
    limitLine: (limit: string) => string;
    avg: string;
    peak: string;
    duration: string;
    throttled: string;
    created: string;
    updated: string;
    deleted: string;
    /** A full pass that deleted nothing on purpose; its reason follows. */
    reconcileSkipped: string;
    started: string;
    kind: string;
    status: string;
  };
  imports: {
    title: string;
    drop: string;
    choose: string;
    fileLabel: string;
    chosen: (name: string, size: string) => string;
    mode: string;
    validated: string;
    validatedHint: string;
    fast: string;
    fastHint: string;
    start: string;
    uploading: string;
    uploadFailed: string;
    notCsv: string;
    tasks: string;
    noTasks: string;
    cancel: string;
    resume: string;
    rejects: string;
    rejectsFailed: string;
    rowsPerSecond: (n: string) => string;
    processed: (done: string, total: string) => string;
    progressLabel: (file: string) => string;
    blank: (n: string) => string;
    status: Record<ImportState, string>;
    buckets: Record<ImportBucket, string>;
    untitled: string;
  };
};

const en: Messages = {
  title: "Contacts",
  searchLabel: "Search contacts",
  searchPlaceholder: "Search name, email, phone…",
  columns: {
    name: "Name",
    email: "Email",
    phone: "Phone",
    company: "Company",
    tags: "Tags",
    dateAdded: "Date added",
    dateUpdated: "Date updated",
  },
  sortBy: (column) => `Sort by ${column}`,
  resizeColumn: (column) => `Resize column ${column} (arrow keys)`,
  columnsMenu: "Columns",
  columnsMenuHint: "Show or hide columns",
  resetColumns: "Reset columns",
  noName: "(no name)",
  sync: { fresh: "Up to date", background: "Syncing…", stale: "Out of date", errorFallback: "Sync failed" },
  badge: { idle: "Idle", syncing: "Syncing…", error: "Sync failed", never: "Never synced" },
  lastSynced: (relative) => `last synced ${relative}`,
  neverSynced: "never synced",
  justNow: "just now",
  contacts: { one: "{n} contact", other: "{n} contacts" },
  loading: "Loading contacts…",
  loadingMore: "Loading more…",
  empty: "No contacts yet.",
  emptySearch: (q) => `No contacts match “${q}”.`,
  errorTitle: "Could not load contacts.",
  unauthorized: "The access token is missing or has expired. Reopen the widget from the CRM.",
  networkError: "The network request failed. Check your connection.",
  loadMoreFailed: "Could not load more contacts.",
  retry: "Retry",
  newerData: "Newer data is available.",
  refresh: "Refresh",
  refreshLabel: "Start a sync with the CRM now",
  tableLabel: "Contacts of this location",
  openContact: (name) => `Open contact ${name}`,
  drawer: {
    close: "Close",
    loading: "Loading contact…",
    error: "Could not load this contact.",
    email: "Email",
    phone: "Phone",
    company: "Company",
    source: "Source",
    tags: "Tags",
    dateAdded: "Added",
    dateUpdated: "Updated",
    tasks: "Tasks",
    notes: "Notes",
    conversations: "Conversations",
    opportunities: "Opportunities",
    none: "None",
    completed: "done",
    due: (date) => `due ${date}`,
    relatedSynced: (relative) => `Tasks and notes fetched ${relative}`,
    relatedNever: "Tasks and notes have not been fetched from the CRM yet.",
  },
  syncPanel: {
    title: "Sync",
    progress: "Sync progress",
    pages: "Pages",
    entities: "Records",
    requests: "Requests",
    rps: "Requests/s",
    eta: "Time left",
    etaUnknown: "estimating…",
    seconds: (n) => `${n} s`,
    startFailed: "Could not start the sync.",
    kinds: { contacts: "Contacts", conversations: "Conversations", opportunities: "Opportunities", companies: "Companies", notes: "Notes", tasks: "Tasks" },
    runStatus: { queued: "waiting", running: "running", succeeded: "done", failed: "failed", cancelled: "cancelled" },
  },
  runs: {
    title: "Recent syncs",
    empty: "No syncs yet.",
    loading: "Loading syncs…",
    chartTitle: "Requests per second",
    chartDesc: (limit) => `Requests sent each second by the latest sync, against the limit of ${limit} per second.`,
    limitLine: (limit) => `limit ${limit}/s`,
    avg: "avg/s",
    peak: "peak/s",
    duration: "Duration",
    throttled: "429s",
    created: "created",
    updated: "updated",
    deleted: "deleted",
    reconcileSkipped: "Deletes skipped:",
    started: "Started",
    kind: "Kind",
    status: "Status",
  },
  imports: {
    title: "Import CSV",
    drop: "Drop a CSV file here",
    choose: "or choose a file",
    fileLabel: "CSV file to import",
    chosen: (name, size) => `${name} (${size})`,
    mode: "Check",
    validated: "Validated",
    validatedHint: "syntax, domains and mail servers",
    fast: "Fast",
    fastHint: "syntax and duplicates only",
    start: "Import",
    uploading: "Uploading…",
    uploadFailed: "The upload failed.",
    notCsv: "Choose a .csv or .txt file.",
    tasks: "Imports",
    noTasks: "No imports yet.",
    cancel: "Cancel",
    resume: "Resume",
    rejects: "Download rejects.csv",
    rejectsFailed: "Could not download the rejects.",
    rowsPerSecond: (n) => `${n} rows/s`,
    processed: (done, total) => `${done} of ${total} rows`,
    progressLabel: (file) => `Import progress of ${file}`,
    blank: (n) => `${n} blank lines skipped`,
    status: { queued: "Queued", running: "Running", completed: "Completed", cancelled: "Cancelled", failed: "Failed" },
    buckets: { valid: "Valid", invalid: "Invalid", blacklist: "Blacklisted", duplicate: "Duplicate", error: "Error" },
    untitled: "(unnamed file)",
  },
};

const ru: Messages = {
  title: "Контакты",
  searchLabel: "Поиск контактов",
  searchPlaceholder: "Имя, email, телефон…",
  columns: {
    name: "Имя",
    email: "Email",
    phone: "Телефон",
    company: "Компания",
    tags: "Теги",
    dateAdded: "Добавлен",
    dateUpdated: "Изменён",
  },
  sortBy: (column) => `Сортировать по полю «${column}»`,
  resizeColumn: (column) => `Ширина столбца «${column}» (стрелки)`,
  columnsMenu: "Столбцы",
  columnsMenuHint: "Показать или скрыть столбцы",
  resetColumns: "Сбросить столбцы",
  noName: "(без имени)",
  sync: { fresh: "Актуально", background: "Синхронизация…", stale: "Устарело", errorFallback: "Ошибка синхронизации" },
  badge: { idle: "Готово", syncing: "Синхронизация…", error: "Ошибка синхронизации", never: "Ещё не синхронизировано" },
  lastSynced: (relative) => `синхронизировано ${relative}`,
  neverSynced: "ещё не синхронизировано",
  justNow: "только что",
  contacts: { one: "{n} контакт", few: "{n} контакта", many: "{n} контактов", other: "{n} контакта" },
  loading: "Загрузка контактов…",
  loadingMore: "Загружаем ещё…",
  empty: "Контактов пока нет.",
  emptySearch: (q) => `Ничего не найдено по запросу «${q}».`,
  errorTitle: "Не удалось загрузить контакты.",
  unauthorized: "Токен доступа отсутствует или истёк. Откройте виджет заново из CRM.",
  networkError: "Сетевой запрос не удался. Проверьте подключение.",
  loadMoreFailed: "Не удалось загрузить следующие контакты.",
  retry: "Повторить",
  newerData: "Доступны более свежие данные.",
  refresh: "Обновить",
  refreshLabel: "Запустить синхронизацию с CRM сейчас",
  tableLabel: "Контакты этой локации",
  openContact: (name) => `Открыть контакт ${name}`,
  drawer: {
    close: "Закрыть",
    loading: "Загрузка контакта…",
    error: "Не удалось загрузить контакт.",
    email: "Email",
    phone: "Телефон",
    company: "Компания",
    source: "Источник",
    tags: "Теги",
    dateAdded: "Добавлен",
    dateUpdated: "Изменён",
    tasks: "Задачи",
    notes: "Заметки",
    conversations: "Переписки",
    opportunities: "Сделки",
    none: "Нет",
    completed: "выполнено",
    due: (date) => `срок ${date}`,
    relatedSynced: (relative) => `Задачи и заметки получены ${relative}`,
    relatedNever: "Задачи и заметки ещё не получены из CRM.",
  },
  syncPanel: {
    title: "Синхронизация",
    progress: "Ход синхронизации",
    pages: "Страницы",
    entities: "Записи",
    requests: "Запросы",
    rps: "Запросов/с",
    eta: "Осталось",
    etaUnknown: "оцениваем…",
    seconds: (n) => `${n} с`,
    startFailed: "Не удалось запустить синхронизацию.",
    kinds: { contacts: "Контакты", conversations: "Переписки", opportunities: "Сделки", companies: "Компании", notes: "Примечания", tasks: "Задачи" },
    runStatus: { queued: "в очереди", running: "идёт", succeeded: "готово", failed: "ошибка", cancelled: "отменено" },
  },
  runs: {
    title: "Последние синхронизации",
    empty: "Синхронизаций ещё не было.",
    loading: "Загрузка синхронизаций…",
    chartTitle: "Запросов в секунду",
    chartDesc: (limit) => `Запросы последней синхронизации по секундам на фоне лимита ${limit} в секунду.`,
    limitLine: (limit) => `лимит ${limit}/с`,
    avg: "сред./с",
    peak: "пик/с",
    duration: "Длительность",
    throttled: "429",
    created: "создано",
    updated: "изменено",
    deleted: "удалено",
    reconcileSkipped: "Удаления пропущены:",
    started: "Начало",
    kind: "Тип",
    status: "Статус",
  },
  imports: {
    title: "Импорт CSV",
    drop: "Перетащите CSV-файл сюда",
    choose: "или выберите файл",
    fileLabel: "CSV-файл для импорта",
    chosen: (name, size) => `${name} (${size})`,
    mode: "Проверка",
    validated: "Полная",
    validatedHint: "синтаксис, домены и почтовые серверы",
    fast: "Быстрая",
    fastHint: "только синтаксис и дубликаты",
    start: "Импортировать",
    uploading: "Загрузка…",
    uploadFailed: "Не удалось загрузить файл.",
    notCsv: "Выберите файл .csv или .txt.",
    tasks: "Импорты",
    noTasks: "Импортов ещё не было.",
    cancel: "Отменить",
    resume: "Продолжить",
    rejects: "Скачать rejects.csv",
    rejectsFailed: "Не удалось скачать отклонённые строки.",
    rowsPerSecond: (n) => `${n} строк/с`,
    processed: (done, total) => `${done} из ${total} строк`,
    progressLabel: (file) => `Ход импорта ${file}`,
    blank: (n) => `пропущено пустых строк: ${n}`,
    status: { queued: "В очереди", running: "Идёт", completed: "Завершён", cancelled: "Отменён", failed: "Ошибка" },
    buckets: { valid: "Валидные", invalid: "Невалидные", blacklist: "Чёрный список", duplicate: "Дубликаты", error: "Ошибки" },
    untitled: "(файл без имени)",
  },
};

const TABLES = { en, ru } satisfies Record<string, Messages>;
export type Lang = keyof typeof TABLES;

/** The browser's locale tag (for Intl) and the string table of its language (en as the fallback). */
export const locale: string = typeof navigator !== "undefined" && navigator.language ? navigator.language : "en";
export const lang: Lang = locale.toLowerCase().startsWith("ru") ? "ru" : "en";
export const t: Messages = TABLES[lang];

// Formatters are costly to build, so one each, shared by every cell, and built on first use: the
// first Intl object of a page costs tens of ms, which must not delay the boot script's first request.
function once<T>(make: () => T): () => T {
  let value: T | undefined;
  return () => (value ??= make());
}
const dateFmt = once(() => new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" }));
const numberFmt = once(() => new Intl.NumberFormat(locale));
const decimalFmt = once(() => new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }));
const pluralRules = once(() => new Intl.PluralRules(locale));
const relativeFmt = once(() => new Intl.RelativeTimeFormat(locale, { numeric: "auto" }));

/** Builds the formatters a first screen needs (and loads the locale data behind them) ahead of use. */
export function warmFormatters(): void {
  formatDate(new Date(0).toISOString());
  formatCount(0);
}

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt().format(d);
}

export function formatNumber(n: number): string {
  return numberFmt().format(n);
}

export function formatDecimal(n: number): string {
  return decimalFmt().format(n);
}

export function formatCount(n: number): string {
  const form = t.contacts[pluralRules().select(n)] ?? t.contacts.other;
  return form.replace("{n}", numberFmt().format(n));
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${numberFmt().format(n)} B`;
  if (n < 1024 * 1024) return `${decimalFmt().format(n / 1024)} KB`;
  return `${decimalFmt().format(n / 1024 / 1024)} MB`;
}

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return t.syncPanel.seconds(numberFmt().format(s));
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, "0")}`;
}

/** "5 minutes ago", "2 hours ago", … for a past instant relative to `now`. */
export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 45) return t.justNow;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relativeFmt().format(-minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relativeFmt().format(-hours, "hour");
  return relativeFmt().format(-Math.round(hours / 24), "day");
}
