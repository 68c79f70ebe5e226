// The part of madge's API the structure test uses (madge ships no types).
declare module 'madge' {
  interface MadgeResult {
    circular(): string[][];
  }
  interface MadgeOptions {
    fileExtensions?: string[];
    tsConfig?: string;
    detectiveOptions?: Record<string, Record<string, unknown>>;
  }
  export default function madge(paths: string | string[], options?: MadgeOptions): Promise<MadgeResult>;
}
