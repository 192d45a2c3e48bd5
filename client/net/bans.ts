/**
 * Banned peers: a node id and until when, with the reason. Persisted through `persist` (the
 * node saves them in IndexedDB) so a reload does not forgive an attacker.
 */

export interface Ban {
  id: string;
  until: number;
  reason: string;
  /** The tracker's tag for the banned peer's network address, when known (admission.ts). */
  origin?: string;
}

/** How long a peer that sent consensus-invalid data stays banned. */
export const DEFAULT_BAN_MS = 30 * 60 * 1000;

export class BanList {
  private readonly bans = new Map<string, Ban>();

  constructor(
    initial: readonly Ban[] = [],
    private readonly persist: (ban: Ban) => void = () => undefined,
  ) {
    for (const ban of initial) this.bans.set(ban.id, ban);
  }

  /** The ban on `id` still in force at `now`, if any. */
  get(id: string, now: number): Ban | undefined {
    const ban = this.bans.get(id);
    if (ban && ban.until <= now) {
      this.bans.delete(id);
      return undefined;
    }
    return ban;
  }

  add(id: string, until: number, reason: string, origin?: string): Ban {
    const ban: Ban = origin === undefined ? { id, until, reason } : { id, until, reason, origin };
    this.bans.set(id, ban);
    this.persist(ban);
    return ban;
  }

  /** True while a ban on a peer from `origin` is in force. */
  originBanned(origin: string, now: number): boolean {
    return this.list(now).some((ban) => ban.origin === origin);
  }

  list(now: number): Ban[] {
    return [...this.bans.keys()].map((id) => this.get(id, now)).filter((b): b is Ban => !!b);
  }
}
