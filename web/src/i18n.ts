// Every UI string lives here, so a translation is one table and nothing else. Numbers, dates and
// relative times come from Intl (formatted for the browser's full locale, e.g. en-GB or ru-RU).

type Plural = Partial<Record<Intl.LDMLPluralRule, string>> & { other: string };

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
  noName: string;
  sync: { fresh: string; background: string; stale: string; errorFallback: string };
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
  tableLabel: string;
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
  noName: "(no name)",
  sync: { fresh: "Up to date", background: "Syncing…", stale: "Out of date", errorFallback: "Sync failed" },
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
  tableLabel: "Contacts of this location",
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
  noName: "(без имени)",
  sync: { fresh: "Актуально", background: "Синхронизация…", stale: "Устарело", errorFallback: "Ошибка синхронизации" },
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
  tableLabel: "Контакты этой локации",
};

const TABLES = { en, ru } satisfies Record<string, Messages>;
export type Lang = keyof typeof TABLES;

/** The browser's locale tag (for Intl) and the string table of its language (en as the fallback). */
export const locale: string = typeof navigator !== "undefined" && navigator.language ? navigator.language : "en";
export const lang: Lang = locale.toLowerCase().startsWith("ru") ? "ru" : "en";
export const t: Messages = TABLES[lang];

// Formatters are costly to build, so one each, shared by every cell.
const dateFmt = new Intl.DateTimeFormat(locale, { dateStyle: "medium", timeStyle: "short" });
const numberFmt = new Intl.NumberFormat(locale);
const pluralRules = new Intl.PluralRules(locale);
const relativeFmt = new Intl.RelativeTimeFormat(locale, { numeric: "auto" });

export function formatDate(iso: string): string {
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

export function formatCount(n: number): string {
  const form = t.contacts[pluralRules.select(n)] ?? t.contacts.other;
  return form.replace("{n}", numberFmt.format(n));
}

/** "5 minutes ago", "2 hours ago", … for a past instant relative to `now`. */
export function formatRelative(iso: string, now: number): string {
  const seconds = Math.round((now - new Date(iso).getTime()) / 1000);
  if (!Number.isFinite(seconds)) return iso;
  if (seconds < 45) return t.justNow;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return relativeFmt.format(-minutes, "minute");
  const hours = Math.round(minutes / 60);
  if (hours < 24) return relativeFmt.format(-hours, "hour");
  return relativeFmt.format(-Math.round(hours / 24), "day");
}
