// The embedding strings (English and Russian, like web/src/i18n.ts, whose language choice we follow).
import { lang } from "../i18n";

type EmbedMessages = {
  connecting: string;
  title: string;
  byCode: Record<string, string>;
  fallback: (serverMessage: string) => string;
};

const en: EmbedMessages = {
  connecting: "Connecting to the CRM…",
  title: "Could not sign in.",
  byCode: {
    no_token: "The host page sent no access token. Reopen the widget from the CRM.",
    bad_payload: "GoHighLevel's sign-in data was rejected. Reload the page; if it persists, check the app's Shared Secret.",
    unknown_location: "This GoHighLevel location is not connected to CRM Edge yet.",
    sso_not_configured: "GoHighLevel sign-in is not set up on this server (GHL_SSO_KEY).",
    network_error: "The network request failed. Check your connection.",
  },
  fallback: (m) => m,
};

const ru: EmbedMessages = {
  connecting: "Подключение к CRM…",
  title: "Не удалось войти.",
  byCode: {
    no_token: "Страница CRM не передала токен доступа. Откройте виджет из CRM заново.",
    bad_payload: "Данные входа GoHighLevel отклонены. Обновите страницу; если не поможет, проверьте Shared Secret приложения.",
    unknown_location: "Эта локация GoHighLevel ещё не подключена к CRM Edge.",
    sso_not_configured: "Вход через GoHighLevel не настроен на сервере (GHL_SSO_KEY).",
    network_error: "Сетевой запрос не удался. Проверьте подключение.",
  },
  fallback: (m) => m,
};

export const embedText: EmbedMessages = lang === "ru" ? ru : en;
