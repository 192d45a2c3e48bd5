/** The URL of tiny-secp256k1's .wasm file, as Vite emits it (vite.config.ts). */
declare module 'virtual:tiny-secp256k1-wasm-url' {
  const url: string;
  export default url;
}
