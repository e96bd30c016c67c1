// BLAKE2b-256 (RFC 7693, 32-byte digest, no key): the hash the node names
// attachments by (docs/exchange.md). The browser computes it over the bytes
// it uploads and downloads, so a user sees that what they hold is what the
// sender attached; WebCrypto has no BLAKE2. 64-bit words are kept as pairs
// of 32-bit halves (low, high) in Uint32Arrays. Pure functions, no state
// shared between calls.

const IV = new Uint32Array([
  0xf3bcc908, 0x6a09e667, 0x84caa73b, 0xbb67ae85, 0xfe94f82b, 0x3c6ef372, 0x5f1d36f1, 0xa54ff53a,
  0xade682d1, 0x510e527f, 0x2b3e6c1f, 0x9b05688c, 0xfb41bd6b, 0x1f83d9ab, 0x137e2179, 0x5be0cd19,
]);

// The message schedule of the 12 rounds, as indexes into the pair array (×2).
const SIGMA = new Uint8Array(
  [
    0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3, 11,
    8, 12, 0, 5, 2, 15, 13, 10, 14, 3, 6, 7, 1, 9, 4, 7, 9, 3, 1, 13, 12, 11, 14, 2, 6, 5, 10, 4, 0, 15, 8, 9, 0,
    5, 7, 2, 4, 10, 15, 14, 1, 11, 12, 6, 8, 3, 13, 2, 12, 6, 10, 0, 11, 8, 3, 4, 13, 7, 5, 15, 14, 1, 9, 12, 5, 1,
    15, 14, 13, 4, 10, 0, 7, 6, 3, 9, 2, 8, 11, 13, 11, 7, 14, 12, 1, 3, 9, 5, 0, 15, 4, 8, 6, 2, 10, 6, 15, 14, 9,
    11, 3, 0, 8, 12, 2, 13, 7, 1, 4, 10, 5, 10, 2, 8, 4, 7, 6, 1, 5, 15, 11, 9, 14, 3, 12, 13, 0, 0, 1, 2, 3, 4, 5,
    6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 14, 10, 4, 8, 9, 15, 13, 6, 1, 12, 0, 2, 11, 7, 5, 3,
  ].map((x) => x * 2),
);

// v[a] += v[b] (64-bit).
function add(v: Uint32Array, a: number, b: number): void {
  const lo = v[a] + v[b];
  let hi = v[a + 1] + v[b + 1];
  if (lo >= 0x100000000) hi++;
  v[a] = lo;
  v[a + 1] = hi;
}

// v[a] += (hi:lo) (64-bit).
function addWord(v: Uint32Array, a: number, lo: number, hi: number): void {
  const l = v[a] + lo;
  let h = v[a + 1] + hi;
  if (l >= 0x100000000) h++;
  v[a] = l;
  v[a + 1] = h;
}

function mix(v: Uint32Array, m: Uint32Array, a: number, b: number, c: number, d: number, x: number, y: number): void {
  add(v, a, b);
  addWord(v, a, m[x], m[x + 1]);
  // d = (d ^ a) >>> 32
  let lo = v[d] ^ v[a];
  let hi = v[d + 1] ^ v[a + 1];
  v[d] = hi;
  v[d + 1] = lo;
  add(v, c, d);
  // b = (b ^ c) >>> 24
  lo = v[b] ^ v[c];
  hi = v[b + 1] ^ v[c + 1];
  v[b] = (lo >>> 24) ^ (hi << 8);
  v[b + 1] = (hi >>> 24) ^ (lo << 8);
  add(v, a, b);
  addWord(v, a, m[y], m[y + 1]);
  // d = (d ^ a) >>> 16
  lo = v[d] ^ v[a];
  hi = v[d + 1] ^ v[a + 1];
  v[d] = (lo >>> 16) ^ (hi << 16);
  v[d + 1] = (hi >>> 16) ^ (lo << 16);
  add(v, c, d);
  // b = (b ^ c) >>> 63
  lo = v[b] ^ v[c];
  hi = v[b + 1] ^ v[c + 1];
  v[b] = (hi >>> 31) ^ (lo << 1);
  v[b + 1] = (lo >>> 31) ^ (hi << 1);
}

// Compresses the 128-byte block at `block[offset]` into h; `count` is the
// number of bytes hashed so far including this block.
function compress(
  h: Uint32Array,
  v: Uint32Array,
  m: Uint32Array,
  block: Uint8Array,
  offset: number,
  count: number,
  last: boolean,
): void {
  for (let i = 0; i < 16; i++) {
    v[i] = h[i];
    v[i + 16] = IV[i];
  }
  v[24] ^= count >>> 0;
  v[25] ^= Math.floor(count / 0x100000000);
  if (last) {
    v[28] = ~v[28];
    v[29] = ~v[29];
  }
  for (let i = 0; i < 32; i++) {
    const j = offset + 4 * i;
    m[i] = block[j] ^ (block[j + 1] << 8) ^ (block[j + 2] << 16) ^ (block[j + 3] << 24);
  }
  for (let r = 0; r < 12; r++) {
    const s = r * 16;
    mix(v, m, 0, 8, 16, 24, SIGMA[s], SIGMA[s + 1]);
    mix(v, m, 2, 10, 18, 26, SIGMA[s + 2], SIGMA[s + 3]);
    mix(v, m, 4, 12, 20, 28, SIGMA[s + 4], SIGMA[s + 5]);
    mix(v, m, 6, 14, 22, 30, SIGMA[s + 6], SIGMA[s + 7]);
    mix(v, m, 0, 10, 20, 30, SIGMA[s + 8], SIGMA[s + 9]);
    mix(v, m, 2, 12, 22, 24, SIGMA[s + 10], SIGMA[s + 11]);
    mix(v, m, 4, 14, 16, 26, SIGMA[s + 12], SIGMA[s + 13]);
    mix(v, m, 6, 8, 18, 28, SIGMA[s + 14], SIGMA[s + 15]);
  }
  for (let i = 0; i < 16; i++) h[i] = h[i] ^ v[i] ^ v[i + 16];
}

// An incremental BLAKE2b-256: update() with the bytes in any number of
// pieces, then hex(). Not for use after hex().
export class Blake2b256 {
  private readonly h = new Uint32Array(IV);
  private readonly v = new Uint32Array(32);
  private readonly m = new Uint32Array(32);
  // The bytes not compressed yet (up to one block: the last block is
  // compressed only by hex(), with the final flag).
  private readonly block = new Uint8Array(128);
  private filled = 0;
  private count = 0;

  constructor() {
    this.h[0] ^= 0x01010000 ^ 32; // fan-out 1, depth 1, no key, 32-byte digest
  }

  update(bytes: Uint8Array): void {
    let i = 0;
    const n = bytes.length;
    // Complete a pending block first, when more bytes follow it.
    if (this.filled > 0) {
      const take = Math.min(128 - this.filled, n);
      this.block.set(bytes.subarray(0, take), this.filled);
      this.filled += take;
      i = take;
      if (this.filled === 128 && i < n) {
        this.count += 128;
        compress(this.h, this.v, this.m, this.block, 0, this.count, false);
        this.filled = 0;
      }
    }
    // Whole blocks straight from the input, keeping the last one back.
    while (n - i > 128) {
      this.count += 128;
      compress(this.h, this.v, this.m, bytes, i, this.count, false);
      i += 128;
    }
    if (i < n) {
      this.block.set(bytes.subarray(i), 0);
      this.filled = n - i;
    }
  }

  // The digest as 64 lower-case hex digits.
  hex(): string {
    this.count += this.filled;
    this.block.fill(0, this.filled);
    compress(this.h, this.v, this.m, this.block, 0, this.count, true);
    let out = '';
    for (let i = 0; i < 32; i++) {
      const byte = (this.h[i >> 2] >>> (8 * (i & 3))) & 0xff;
      out += byte.toString(16).padStart(2, '0');
    }
    return out;
  }
}

// The BLAKE2b-256 digest of `bytes` as 64 lower-case hex digits.
export function blake2b256Hex(bytes: Uint8Array): string {
  const hasher = new Blake2b256();
  hasher.update(bytes);
  return hasher.hex();
}

// The digest of a file or blob, read a mebibyte at a time so that a large
// attachment does not freeze the page.
export async function blake2b256OfBlob(blob: Blob): Promise<string> {
  const hasher = new Blake2b256();
  const step = 1 << 20;
  for (let offset = 0; offset < blob.size; offset += step) {
    hasher.update(new Uint8Array(await blob.slice(offset, offset + step).arrayBuffer()));
  }
  return hasher.hex();
}
