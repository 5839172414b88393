/**
 * Martin Porter's stemmer (1980), as in his reference C version and Lucene's PorterStemmer (which Anserini's default English
 * analyzer applies): the five steps of the paper plus the two departures of the reference code ("bli" → "ble" instead of
 * "abli" → "able", and "logi" → "log"). Input is one lower-case word; words of one or two letters are returned unchanged.
 * Written from the published algorithm and checked against the npm package `porter-stemmer` on the SciFact vocabulary.
 */

export function porterStem(word: string): string {
  if (word.length <= 2) return word;
  return new PorterWord(word).stem();
}

class PorterWord {
  private b: string[];
  /** index of the last letter of the current word */
  private k: number;
  /** end of the stem that the last ends() matched (index of its last letter) */
  private j = 0;

  constructor(word: string) {
    this.b = word.split("");
    this.k = word.length - 1;
  }

  stem(): string {
    this.step1ab();
    if (this.k > 0) {
      this.step1c();
      this.step2();
      this.step3();
      this.step4();
      this.step5();
    }
    return this.b.slice(0, this.k + 1).join("");
  }

  /** b[i] is a consonant: not a, e, i, o, u, and y only after a vowel or at the start */
  private cons(i: number): boolean {
    switch (this.b[i]) {
      case "a":
      case "e":
      case "i":
      case "o":
      case "u":
        return false;
      case "y":
        return i === 0 ? true : !this.cons(i - 1);
      default:
        return true;
    }
  }

  /** the measure m of b[0..j]: the number of vowel-consonant sequences in [C](VC)^m[V] */
  private m(): number {
    let n = 0;
    let i = 0;
    for (;;) {
      if (i > this.j) return n;
      if (!this.cons(i)) break;
      i++;
    }
    i++;
    for (;;) {
      for (;;) {
        if (i > this.j) return n;
        if (this.cons(i)) break;
        i++;
      }
      i++;
      n++;
      for (;;) {
        if (i > this.j) return n;
        if (!this.cons(i)) break;
        i++;
      }
      i++;
    }
  }

  private vowelInStem(): boolean {
    for (let i = 0; i <= this.j; i++) if (!this.cons(i)) return true;
    return false;
  }

  private doubleConsonant(i: number): boolean {
    return i >= 1 && this.b[i] === this.b[i - 1] && this.cons(i);
  }

  /** b[i-2..i] is consonant-vowel-consonant and the last is not w, x or y (e.g. hop, not snow) */
  private cvc(i: number): boolean {
    if (i < 2 || !this.cons(i) || this.cons(i - 1) || !this.cons(i - 2)) return false;
    const ch = this.b[i];
    return ch !== "w" && ch !== "x" && ch !== "y";
  }

  private ends(suffix: string): boolean {
    const length = suffix.length;
    if (length > this.k + 1) return false;
    for (let i = 0; i < length; i++) if (this.b[this.k - length + 1 + i] !== suffix[i]) return false;
    this.j = this.k - length;
    return true;
  }

  private setTo(replacement: string): void {
    for (let i = 0; i < replacement.length; i++) this.b[this.j + 1 + i] = replacement[i];
    this.k = this.j + replacement.length;
  }

  private replaceIfMeasured(replacement: string): void {
    if (this.m() > 0) this.setTo(replacement);
  }

  /** plurals and -ed / -ing: caresses → caress, ponies → poni, agreed → agree, hopping → hop, filing → file */
  private step1ab(): void {
    if (this.b[this.k] === "s") {
      if (this.ends("sses")) this.k -= 2;
      else if (this.ends("ies")) this.setTo("i");
      else if (this.b[this.k - 1] !== "s") this.k--;
    }
    if (this.ends("eed")) {
      if (this.m() > 0) this.k--;
    } else if ((this.ends("ed") || this.ends("ing")) && this.vowelInStem()) {
      this.k = this.j;
      if (this.ends("at")) this.setTo("ate");
      else if (this.ends("bl")) this.setTo("ble");
      else if (this.ends("iz")) this.setTo("ize");
      else if (this.doubleConsonant(this.k)) {
        this.k--;
        const ch = this.b[this.k];
        if (ch === "l" || ch === "s" || ch === "z") this.k++;
      } else if (this.m() === 1 && this.cvc(this.k)) this.setTo("e");
    }
  }

  /** terminal y → i when there is another vowel in the stem */
  private step1c(): void {
    if (this.ends("y") && this.vowelInStem()) this.b[this.k] = "i";
  }

  /** the first matching suffix decides, whether or not its replacement applies */
  private replaceFirst(rules: readonly (readonly [string, string])[]): void {
    for (const [suffix, replacement] of rules) {
      if (this.ends(suffix)) {
        this.replaceIfMeasured(replacement);
        return;
      }
    }
  }

  /** double suffixes → single ones, when m > 0 */
  private step2(): void {
    const rules = STEP2[this.b[this.k - 1]];
    if (rules) this.replaceFirst(rules);
  }

  /** -ic-, -full, -ness etc. */
  private step3(): void {
    const rules = STEP3[this.b[this.k]];
    if (rules) this.replaceFirst(rules);
  }

  /** -ant, -ence etc. removed when m > 1 */
  private step4(): void {
    const suffixes = STEP4[this.b[this.k - 1]];
    if (!suffixes) return;
    let matched = false;
    for (const suffix of suffixes) {
      if (!this.ends(suffix)) continue;
      if (suffix === "ion" && !(this.j >= 0 && (this.b[this.j] === "s" || this.b[this.j] === "t"))) continue;
      matched = true;
      break;
    }
    if (matched && this.m() > 1) this.k = this.j;
  }

  /** final -e removed when m > 1 (or m = 1 and not *o), and -ll → -l when m > 1 */
  private step5(): void {
    this.j = this.k;
    if (this.b[this.k] === "e") {
      const a = this.m();
      if (a > 1 || (a === 1 && !this.cvc(this.k - 1))) this.k--;
    }
    if (this.b[this.k] === "l" && this.doubleConsonant(this.k) && this.m() > 1) this.k--;
  }
}

/** step 2 rules keyed by the penultimate letter */
const STEP2: Record<string, readonly (readonly [string, string])[]> = {
  a: [
    ["ational", "ate"],
    ["tional", "tion"],
  ],
  c: [
    ["enci", "ence"],
    ["anci", "ance"],
  ],
  e: [["izer", "ize"]],
  l: [
    ["bli", "ble"],
    ["alli", "al"],
    ["entli", "ent"],
    ["eli", "e"],
    ["ousli", "ous"],
  ],
  o: [
    ["ization", "ize"],
    ["ation", "ate"],
    ["ator", "ate"],
  ],
  s: [
    ["alism", "al"],
    ["iveness", "ive"],
    ["fulness", "ful"],
    ["ousness", "ous"],
  ],
  t: [
    ["aliti", "al"],
    ["iviti", "ive"],
    ["biliti", "ble"],
  ],
  g: [["logi", "log"]],
};

/** step 3 rules keyed by the last letter */
const STEP3: Record<string, readonly (readonly [string, string])[]> = {
  e: [
    ["icate", "ic"],
    ["ative", ""],
    ["alize", "al"],
  ],
  i: [["iciti", "ic"]],
  l: [
    ["ical", "ic"],
    ["ful", ""],
  ],
  s: [["ness", ""]],
};

/** step 4 suffixes keyed by the penultimate letter ("ion" only after s or t) */
const STEP4: Record<string, readonly string[]> = {
  a: ["al"],
  c: ["ance", "ence"],
  e: ["er"],
  i: ["ic"],
  l: ["able", "ible"],
  n: ["ant", "ement", "ment", "ent"],
  o: ["ion", "ou"],
  s: ["ism"],
  t: ["ate", "iti"],
  u: ["ous"],
  v: ["ive"],
  z: ["ize"],
};
