// A memo of pure computations by key, holding at most `max` values (the oldest inserted go first): for renderings that
// are a function of their key alone (phone-app screens, xml_curl user answers), where a key seen again is common and an
// unbounded map would grow with every distinct input.
export class BoundedMemo<V> {
  private readonly values = new Map<string, V>();

  constructor(private readonly max: number) {}

  get(key: string, make: () => V): V {
    const hit = this.values.get(key);
    if (hit !== undefined) return hit;
    const value = make();
    if (this.values.size >= this.max) this.values.delete(this.values.keys().next().value as string);
    this.values.set(key, value);
    return value;
  }

  get size(): number {
    return this.values.size;
  }
}
