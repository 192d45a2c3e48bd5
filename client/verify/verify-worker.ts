/**
 * A signature verification worker: verifies packed checks and answers one byte per check.
 * It uses core's `verifySignature` (@noble/curves) unless asked for the fastest verifier and
 * libsecp256k1 (WASM) loads and passes a self-test against core on a valid and an invalid
 * signature; otherwise it stays on @noble/curves. Runs as a module Worker in the browser and,
 * via verify-worker.node.mjs, in Node.
 */
import {
  PACKED_CHECK_BYTES,
  sha256,
  signMessage,
  publicKeyOf,
  verifySignature,
} from '../../core/index.js';
import type { FromVerifyWorker, ToVerifyWorker, VerifierName } from './verify-messages.js';

type Verify = (signature: Uint8Array, message: Uint8Array, publicKey: Uint8Array) => boolean;

const scope = self as unknown as DedicatedWorkerGlobalScope;
const post = (message: FromVerifyWorker, transfer: Transferable[] = []): void =>
  scope.postMessage(message, transfer);

let verify: Verify = verifySignature;

/** True when `candidate` agrees with core on a valid signature and the same one mutated. */
function agreesWithCore(candidate: Verify): boolean {
  const secret = sha256(new TextEncoder().encode('tabcoin verifier self-test'));
  const message = sha256(secret);
  const signature = signMessage(message, secret, new Uint8Array(32));
  const publicKey = publicKeyOf(secret);
  const bad = signature.slice();
  bad[5]! ^= 1;
  return candidate(signature, message, publicKey) && !candidate(bad, message, publicKey);
}

async function load(choice: ToVerifyWorker & { type: 'init' }): Promise<VerifierName> {
  if (choice.verifier !== 'fastest') return 'noble';
  try {
    const { verifyFast } = await import('./fast-verifier.js');
    if (!agreesWithCore(verifyFast)) return 'noble';
    verify = verifyFast;
    return 'libsecp256k1-wasm';
  } catch {
    return 'noble';
  }
}

scope.addEventListener('message', (event: MessageEvent<ToVerifyWorker>) => {
  const message = event.data;
  if (message.type === 'init') {
    void load(message).then((verifier) => post({ type: 'ready', verifier }));
    return;
  }
  const packed = message.checks;
  const count = Math.floor(packed.length / PACKED_CHECK_BYTES);
  const valid = new Uint8Array(count);
  for (let i = 0; i < count; i++) {
    const at = i * PACKED_CHECK_BYTES;
    const ok = verify(
      packed.subarray(at + 64, at + PACKED_CHECK_BYTES),
      packed.subarray(at, at + 32),
      packed.subarray(at + 32, at + 64),
    );
    valid[i] = ok ? 1 : 0;
  }
  post({ type: 'verified', id: message.id, valid }, [valid.buffer]);
});
