// Type-only bridge for `import type { AppType }`: with both the DOM lib and the Workers types loaded,
// `crypto.subtle` resolves to the DOM's SubtleCrypto, which lacks the Workers-only timingSafeEqual
// that worker/http/access.ts calls. Declaring it here keeps the Worker sources error-free in this
// program; nothing in web/ uses it (it does not exist in browsers).
interface SubtleCrypto {
  timingSafeEqual(a: ArrayBuffer | ArrayBufferView, b: ArrayBuffer | ArrayBufferView): boolean;
}
