// OpenSSL's EVP_BytesToKey with MD5 and one iteration: how CryptoJS (and `openssl enc -md md5`)
// turn a passphrase and an 8-byte salt into an AES key and IV. WebCrypto has no MD5, hence noble's.
//   D1 = MD5(pass || salt), Di = MD5(D(i-1) || pass || salt); key || iv = D1 || D2 || D3 …
import { md5 } from "@noble/hashes/legacy.js";

export function evpBytesToKey(
  passphrase: Uint8Array,
  salt: Uint8Array,
  keyLength = 32,
  ivLength = 16,
): { key: Uint8Array<ArrayBuffer>; iv: Uint8Array<ArrayBuffer> } {
  const need = keyLength + ivLength;
  const out = new Uint8Array(need + 16);
  let filled = 0;
  let prev: Uint8Array = new Uint8Array(0);
  while (filled < need) {
    const block = new Uint8Array(prev.length + passphrase.length + salt.length);
    block.set(prev);
    block.set(passphrase, prev.length);
    block.set(salt, prev.length + passphrase.length);
    prev = md5(block);
    out.set(prev, filled);
    filled += prev.length;
  }
  return { key: out.slice(0, keyLength), iv: out.slice(keyLength, need) };
}
