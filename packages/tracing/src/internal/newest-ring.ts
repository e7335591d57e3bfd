/** The last `capacity` items added, in a fixed array: adding is O(1) and never allocates a slot. */
export class NewestRing<T> {
  private readonly items: (T | undefined)[];
  private next = 0;
  private size = 0;

  constructor(private readonly capacity: number) {
    this.items = new Array<T | undefined>(capacity);
  }

  add(item: T): void {
    this.items[this.next] = item;
    this.next = (this.next + 1) % this.capacity;
    if (this.size < this.capacity) this.size++;
  }

  /** A copy, the newest first. */
  newestFirst(): T[] {
    const out: T[] = [];
    for (let i = 1; i <= this.size; i++)
      out.push(this.items[(this.next - i + this.capacity) % this.capacity]!);
    return out;
  }
}
