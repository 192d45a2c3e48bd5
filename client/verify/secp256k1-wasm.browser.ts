/**
 * tiny-secp256k1's WebAssembly module for the browser build. The package imports its .wasm
 * file as an ES module (the WebAssembly ESM integration), which Vite does not support; the
 * `tabcoin-tiny-secp256k1-wasm` plugin in vite.config.ts swaps the package's loader for this
 * one, which fetches the file Vite emits as an asset and instantiates it with the two imports
 * the module asks for. Only verification workers import it (top-level await: module workers).
 */
import wasmUrl from 'virtual:tiny-secp256k1-wasm-url';

const imports = {
  // Seeds libsecp256k1's context randomisation (side-channel blinding for signing; verifying
  // does not depend on it).
  './rand.js': { generateInt32: (): number => crypto.getRandomValues(new Int32Array(1))[0]! },
  './validate_error.js': {
    throwError: (code: number): never => {
      throw new TypeError(`libsecp256k1 refused its input (code ${code})`);
    },
  },
};

const response = await fetch(wasmUrl);
const { instance } = await WebAssembly.instantiate(await response.arrayBuffer(), imports);
export default instance.exports;
