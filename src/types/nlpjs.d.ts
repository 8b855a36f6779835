// The parts of nlp.js's language packages Loket uses (they ship no types).
declare module '@nlpjs/lang-nl' {
  export class StemmerNl {
    stemWord(word: string): string;
  }
  export class StopwordsNl {
    isStopword(token: string): boolean;
  }
}

declare module '@nlpjs/lang-en-min' {
  export class StemmerEn {
    stemWord(word: string): string;
  }
  export class StopwordsEn {
    isStopword(token: string): boolean;
  }
}
