export function marker(i: number): string;
export function generateChecklist(o: {
  items: number;
  phases?: number;
  sectionSize?: number;
  lead?: Record<string, unknown> | null;
  title?: string;
}): string;
export function parallelChecklist(url: string, count?: number, ms?: number): string;
