/** A bounded set: past `limit` entries the oldest is forgotten (per-peer known inventory). */
export class KnownSet {
  private readonly items = new Set<string>();

  constructor(readonly limit: number) {}

  has(key: string): boolean {
    return this.items.has(key);
  }

  add(key: string): void {
    if (this.items.has(key)) return;
    if (this.items.size >= this.limit) {
      const oldest = this.items.values().next().value;
      if (oldest !== undefined) this.items.delete(oldest);
    }
    this.items.add(key);
  }

  clear(): void {
    this.items.clear();
  }

  get size(): number {
    return this.items.size;
  }
}
