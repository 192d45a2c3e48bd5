/** Placeholder entry until the browser node lands: shows each network's genesis block id. */
import { NETWORKS } from '../core/index.js';

const list = document.getElementById('networks');
for (const params of Object.values(NETWORKS)) {
  const term = document.createElement('dt');
  term.textContent = `${params.network} genesis`;
  const value = document.createElement('dd');
  value.textContent = params.genesisId;
  list?.append(term, value);
}
