// Word lists for realistic contacts. Mixed scripts on purpose: downstream code must cope with
// Cyrillic and accented Latin names, not just ASCII.

export const FIRST_NAMES = [
  "James", "Mary", "John", "Patricia", "Robert", "Jennifer", "Michael", "Linda", "William",
  "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
  "Charles", "Karen", "Christopher", "Nancy", "Daniel", "Lisa", "Matthew", "Betty", "Anthony",
  "Margaret", "Mark", "Sandra", "Donald", "Ashley", "Steven", "Kimberly", "Paul", "Emily",
  "Andrew", "Donna", "Joshua", "Michelle", "Kenneth", "Carol", "Kevin", "Amanda", "Brian",
  "Melissa", "George", "Deborah", "Timothy", "Stephanie", "Ronald", "Rebecca", "Jason", "Laura",
  "Ethan", "Olivia", "Noah", "Emma", "Liam", "Ava", "Mason", "Sophia", "Lucas", "Mia", "Aiden",
  "Harper", "Grace", "Chloe", "Owen", "Zoe", "Priya", "Wei", "Hiroshi", "Aisha", "Omar",
] as const;

export const LAST_NAMES = [
  "Smith", "Johnson", "Williams", "Brown", "Jones", "Garcia", "Miller", "Davis", "Rodriguez",
  "Martinez", "Hernandez", "Lopez", "Gonzalez", "Wilson", "Anderson", "Thomas", "Taylor",
  "Moore", "Jackson", "Martin", "Lee", "Perez", "Thompson", "White", "Harris", "Sanchez",
  "Clark", "Ramirez", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright",
  "Scott", "Torres", "Nguyen", "Hill", "Flores", "Green", "Adams", "Nelson", "Baker", "Hall",
  "Rivera", "Campbell", "Mitchell", "Carter", "Roberts", "Patel", "Kim", "Chen", "Singh",
  "O'Brien", "McDonald", "Murphy", "Cooper", "Reed", "Bailey", "Bell", "Kelly", "Howard",
] as const;

export const ACCENTED_FIRST = [
  "José", "Zoë", "Ángela", "François", "Björn", "Łukasz", "Søren", "Chloé", "Renée", "Jürgen",
  "Agnès", "Mónica", "Íñigo", "Tomáš", "Émilie", "Hélène", "Håkon", "Çağla", "Mário", "Inês",
] as const;

export const ACCENTED_LAST = [
  "García", "Müller", "Núñez", "Lefèvre", "Østergaard", "Dvořák", "Wójcik", "Šimić",
  "Żukowski", "Gómez", "Hernández", "Björk", "Jørgensen", "Fernández", "Böhm", "Doğan",
  "Gonçalves", "Rodríguez", "Nováková", "Lindström",
] as const;

/** [first, surname stem, female?]: Russian surnames agree in gender (Иванов / Иванова). */
export const CYRILLIC_FIRST: readonly (readonly [string, boolean])[] = [
  ["Иван", false], ["Мария", true], ["Алексей", false], ["Ольга", true], ["Дмитрий", false],
  ["Анна", true], ["Сергей", false], ["Екатерина", true], ["Михаил", false], ["Наталья", true],
  ["Андрей", false], ["Татьяна", true], ["Павел", false], ["Юлия", true], ["Николай", false],
  ["Елена", true],
];

export const CYRILLIC_LAST_STEMS = [
  "Иванов", "Петров", "Смирнов", "Кузнецов", "Попов", "Соколов", "Лебедев", "Козлов",
  "Новиков", "Морозов", "Волков", "Фёдоров", "Орлов", "Зайцев", "Павлов", "Семёнов",
] as const;

const CYR_TO_LAT: Record<string, string> = {
  а: "a", б: "b", в: "v", г: "g", д: "d", е: "e", ё: "e", ж: "zh", з: "z", и: "i", й: "y",
  к: "k", л: "l", м: "m", н: "n", о: "o", п: "p", р: "r", с: "s", т: "t", у: "u", ф: "f",
  х: "kh", ц: "ts", ч: "ch", ш: "sh", щ: "shch", ъ: "", ы: "y", ь: "", э: "e", ю: "yu", я: "ya",
};

const LATIN_SPECIAL: Record<string, string> = { ł: "l", ø: "o", ß: "ss", æ: "ae", đ: "d", ı: "i" };

const slugs = new Map<string, string>();

/** Lowercase ASCII slug of a name, as people do when they pick an email address (memoised: names repeat). */
export function emailSlug(name: string): string {
  const known = slugs.get(name);
  if (known !== undefined) return known;
  let out = "";
  for (const ch of name.toLowerCase().normalize("NFD")) {
    out += CYR_TO_LAT[ch] ?? LATIN_SPECIAL[ch] ?? ch;
  }
  out = out.replace(/[^a-z0-9]/g, "");
  slugs.set(name, out);
  return out;
}

// ~300 companies: 30 stems x 10 kinds, plus a few non-English ones.
const COMPANY_STEMS = [
  "Acme", "Blue Ridge", "Summit", "Northwind", "Brightline", "Cedar", "Harbor", "Ironwood",
  "Keystone", "Lakeside", "Meridian", "Nimbus", "Oakmont", "Pinnacle", "Quantum", "Redwood",
  "Silverline", "Trident", "Union Square", "Vertex", "Westfield", "Zenith", "Granite",
  "Evergreen", "Falcon", "Golden Gate", "Horizon", "Juniper", "Maple Leaf", "Sterling",
] as const;
const COMPANY_KINDS = [
  "Logistics", "Dental", "Realty", "Roofing", "Fitness", "Law Group", "Marketing",
  "Auto Repair", "Insurance", "Consulting",
] as const;
const COMPANY_SUFFIX = ["LLC", "Inc.", "Co.", "Group", "Partners", "Ltd"] as const;

export const COMPANIES: readonly string[] = [
  ...COMPANY_STEMS.flatMap((stem, i) =>
    COMPANY_KINDS.map((kind, j) => `${stem} ${kind} ${COMPANY_SUFFIX[(i + j) % COMPANY_SUFFIX.length]}`),
  ),
  "ООО «Ромашка»", "Café Lumière", "Müller & Söhne GmbH", "Señor Taco", "Smith & Wesson's Deli",
];

export const TAGS = [
  "vip", "newsletter", "lead-magnet", "webinar", "trial", "customer", "churn-risk", "partner",
  "referral", "cold", "warm", "hot",
] as const;

export const LANGUAGES = ["English", "Español", "Русский", "Français"] as const;

export const SOURCES = [
  "website", "facebook", "google ads", "referral", "manual", "csv import", "zapier", "instagram",
  "linkedin", "webinar", "public api",
] as const;

export const EMAIL_DOMAINS = [
  "gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "proton.me", "aol.com",
] as const;

/** [city, country] by naming culture, so a Ukrainian name rarely lives in Tulsa. */
export type Culture = "latin" | "accented" | "cyrillic";

export const PLACES: Record<Culture, readonly (readonly [string, string])[]> = {
  latin: [["New York", "US"], ["Austin", "US"], ["Chicago", "US"], ["Denver", "US"],
    ["Seattle", "US"], ["Miami", "US"], ["Toronto", "CA"], ["London", "GB"], ["Sydney", "AU"],
    ["Phoenix", "US"], ["Atlanta", "US"], ["Boston", "US"]],
  accented: [["Madrid", "ES"], ["Paris", "FR"], ["München", "DE"], ["Kraków", "PL"],
    ["Praha", "CZ"], ["København", "DK"], ["São Paulo", "BR"], ["Ciudad de México", "MX"],
    ["İstanbul", "TR"], ["Stockholm", "SE"]],
  cyrillic: [["Москва", "RU"], ["Санкт-Петербург", "RU"], ["Киев", "UA"], ["Алматы", "KZ"],
    ["Новосибирск", "RU"], ["Минск", "BY"]],
};

export const MESSAGE_BODIES = [
  "Hi, is this still available?", "Thanks! See you Tuesday.", "Can you send me a quote?",
  "Please call me back after 5pm.", "Your appointment is confirmed.", "Missed call",
  "Got it, thanks", "What are your hours on Saturday?", "Invoice attached.",
  "Спасибо, договорились!", "¿Podemos hablar mañana?", "Merci beaucoup 🙏",
] as const;

export const TASK_TITLES = [
  "Call back", "Send proposal", "Follow up on quote", "Schedule demo", "Collect payment",
  "Confirm appointment", "Request review", "Update billing info",
] as const;

export const NOTE_BODIES = [
  "Prefers email over phone.", "Interested in the annual plan.", "Asked about discounts.",
  "Left voicemail, no answer.", "Referred by an existing customer.", "Wants a call next week.",
  "Клиент просил перезвонить.", "Budget approved for Q3.",
] as const;

export const DEAL_PRODUCTS = [
  "Website redesign", "Annual plan", "Roof replacement", "Teeth whitening", "SEO package",
  "Consultation", "Fleet insurance", "Personal training (10 sessions)",
] as const;
