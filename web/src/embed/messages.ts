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
    sso_failed: "GoHighLevel sign-in could not be completed. Reload the page; if it keeps happening, ask your administrator to check the app's installation.",
    rate_limited: "Too many sign-in attempts. Wait a few minutes, then reload the page.",
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
    sso_failed: "Не удалось войти через GoHighLevel. Обновите страницу; если не поможет, попросите администратора проверить установку приложения.",
    rate_limited: "Слишком много попыток входа. Подождите несколько минут и обновите страницу.",
    sso_not_configured: "Вход через GoHighLevel не настроен на сервере (GHL_SSO_KEY).",
    network_error: "Сетевой запрос не удался. Проверьте подключение.",
  },
  fallback: (m) => m,
};

export const embedText: EmbedMessages = lang === "ru" ? ru : en;
