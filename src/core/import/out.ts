// The checklist object the importer emits (a subset of checklist format v1, in the key order the
// YAML shows).

export interface OutWhen {
  env?: string | string[];
  answer?: { item: string; is: string | string[] };
}

export interface OutItem {
  id: string;
  title: string;
  run?: string;
  http?: { url: string; method?: 'HEAD' };
  record?: 'text' | 'number' | 'choice' | 'time';
  unit?: string;
  options?: string[];
  critical?: boolean;
  confirm?: boolean;
  when?: OutWhen;
  notes?: string;
}
export interface OutSection {
  title?: string;
  items: OutItem[];
}
export interface OutPhase {
  id?: string;
  title: string;
  signoff?: string[];
  sections: OutSection[];
}
export interface OutReference {
  title: string;
  notes: string;
}
export interface OutEnvironment {
  description?: string;
  confirm?: boolean;
}
export interface OutChecklist {
  version: 1;
  title: string;
  description?: string;
  /** null: declared without a value (written `NAME:`), asked for when an item using it runs. */
  vars?: Record<string, string | null>;
  secrets?: string[];
  environments?: Record<string, OutEnvironment>;
  phases: OutPhase[];
  rollback?: OutPhase;
  reference?: OutReference[];
}
