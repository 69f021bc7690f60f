/**
 * Hot reload's eyes, for handlers and for api.config.ts alike: watches the folders holding each key's
 * files (a function's source files, the esbuild metafile's inputs, node_modules excluded; or the config
 * file) and reports, debounced, which keys a change touches. Folders, not files, because editors that
 * save by writing a new file and renaming it over the old one would leave a file watch on a deleted
 * inode.
 */
import { type FSWatcher, watch } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export class SourceWatcher {
  private readonly folders = new Map<string, FSWatcher>();
  /** Source file → functions built from it. */
  private readonly users = new Map<string, Set<string>>();
  private readonly inputsOf = new Map<string, string[]>();
  private readonly timers = new Map<string, NodeJS.Timeout>();
  private closed = false;

  constructor(
    private readonly onChange: (functionName: string) => void,
    private readonly debounceMs = 100,
    /** A folder could no longer be watched (deleted, or the OS refused): its files are not watched. */
    private readonly onError?: (folder: string, error: Error) => void,
  ) {}

  /** Replaces the files watched for `functionName`. */
  update(functionName: string, inputs: string[]): void {
    if (this.closed) return;
    for (const file of this.inputsOf.get(functionName) ?? []) this.users.get(file)?.delete(functionName);
    this.inputsOf.set(functionName, inputs);
    for (const file of inputs) {
      const names = this.users.get(file) ?? new Set<string>();
      names.add(functionName);
      this.users.set(file, names);
    }
    for (const [file, names] of this.users) if (names.size === 0) this.users.delete(file);
    this.syncFolders();
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.folders.values()) watcher.close();
    this.folders.clear();
    for (const timer of this.timers.values()) clearTimeout(timer);
    this.timers.clear();
  }

  private syncFolders(): void {
    const wanted = new Set([...this.users.keys()].map((file) => dirname(file)));
    for (const [folder, watcher] of this.folders) {
      if (!wanted.has(folder)) {
        watcher.close();
        this.folders.delete(folder);
      }
    }
    for (const folder of wanted) {
      if (this.folders.has(folder)) continue;
      try {
        const watcher = watch(folder, (_event, name) => {
          if (name) this.changed(join(folder, basename(name.toString())));
        });
        // A folder deleted under us: stop watching it; the next successful build re-adds what exists.
        watcher.on('error', (error) => {
          watcher.close();
          this.folders.delete(folder);
          this.onError?.(folder, error);
        });
        this.folders.set(folder, watcher);
      } catch {
        // The folder is gone already; nothing to watch.
      }
    }
  }

  private changed(file: string): void {
    for (const functionName of this.users.get(file) ?? []) {
      const timer = this.timers.get(functionName);
      if (timer) timer.refresh();
      else {
        this.timers.set(
          functionName,
          setTimeout(() => {
            this.timers.delete(functionName);
            this.onChange(functionName);
          }, this.debounceMs),
        );
      }
    }
  }
}
