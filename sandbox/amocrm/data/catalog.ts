// The fixed parts of every simulated account: users, custom-field definitions, enums, tags.
// Ids look like AmoCRM's (account-specific integers); they are the same in every account.

export const USER_IDS = Array.from({ length: 10 }, (_, i) => 6_000_001 + i);

/** The seeded filter: companies of this user AND with this segment. */
export const FILTER_USER_ID = 6_000_007;
export const SEGMENT_FIELD_ID = 700_001;
export const KEY_SEGMENT = "Ключевой клиент";

/** Segment values and their enum ids; the key segment is one of them. */
export const SEGMENTS: readonly (readonly [string, number])[] = [
  ["Розница", 800_001], ["Опт", 800_002], [KEY_SEGMENT, 800_003], ["Дистрибьютор", 800_004],
  ["Партнёр", 800_005], ["Госсектор", 800_006],
];

export const PHONE_FIELD = { field_id: 700_010, field_name: "Телефон", field_code: "PHONE" } as const;
export const EMAIL_FIELD = { field_id: 700_012, field_name: "Email", field_code: "EMAIL" } as const;
export const POSITION_FIELD = { field_id: 700_014, field_name: "Должность", field_code: "POSITION" } as const;

export const PHONE_ENUMS: readonly (readonly [string, number])[] = [
  ["WORK", 900_001], ["WORKDD", 900_002], ["MOB", 900_003], ["FAX", 900_004], ["HOME", 900_005], ["OTHER", 900_006],
];
export const EMAIL_ENUMS: readonly (readonly [string, number])[] = [
  ["WORK", 900_011], ["PRIV", 900_012], ["OTHER", 900_013],
];

export const AMO_TAGS: readonly (readonly [number, string])[] = [
  [41_001, "VIP"], [41_002, "постоянный"], [41_003, "холодный"], [41_004, "выставка 2025"],
  [41_005, "newsletter"], [41_006, "referral"], [41_007, "партнёр"],
];

export const POSITIONS = ["Директор", "Менеджер по закупкам", "Бухгалтер", "CEO", "Head of Sales", "Логист"] as const;

export const COMPANY_STEMS_RU = [
  "Ромашка", "Вектор", "Альфа-Трейд", "СеверСталь Сервис", "Технопарк", "Гермес", "Орион",
  "Сибирь Логистик", "Уралхим Снаб", "Меридиан", "Волга-Агро", "Стройинвест", "Полюс", "Контур",
] as const;
export const COMPANY_FORMS_RU = ["ООО «%»", "АО «%»", "ИП %", "ГК «%»", "% Групп"] as const;

export const NOTE_TEXTS = [
  "Клиент просил перезвонить после обеда.", "Отправили коммерческое предложение.",
  "Интересуется оптовыми скидками.", "Sent the price list, waiting for feedback.",
  "Договорились о встрече в офисе.", "Не отвечает на звонки.", "Счёт оплачен.",
] as const;

export const TASK_TEXTS = [
  "Перезвонить клиенту", "Отправить КП", "Follow up on the quote", "Назначить встречу",
  "Уточнить реквизиты", "Check payment status",
] as const;

export const CALL_SOURCES = ["Mango Office", "Zadarma", "Telphin", "onlinePBX"] as const;
export const SERVICES = ["Wazzup", "Radist.Online", "Chat2Desk"] as const;
