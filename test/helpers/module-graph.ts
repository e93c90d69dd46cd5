// The files a set of entry modules can load: their relative static imports, re-exports and literal
// dynamic imports, followed through the installed (or built) tree. Package imports are not followed.
import { existsSync, readFileSync } from 'node:fs'
import { dirname, resolve } from 'node:path'

const IMPORT = /(?:^|[\s;])(?:import|export)\s[^'"`]*?from\s*['"](\.{1,2}\/[^'"]+)['"]|(?:^|[\s;])import\s*['"](\.{1,2}\/[^'"]+)['"]|\bimport\(\s*['"](\.{1,2}\/[^'"]+)['"]\s*\)/g

/**
 * Every file reachable from `entries` (absolute paths), and the imports that point at no file.
 * `map` turns an import's path into the file to follow (declarations import `./x.js` and mean `./x.d.ts`).
 */
export function reachable(entries: readonly string[], map: (path: string) => string = (p) => p): { files: Set<string>; missing: string[] } {
  const files = new Set<string>()
  const missing: string[] = []
  const visit = (file: string) => {
    if (files.has(file)) return
    files.add(file)
    for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
      const target = map(resolve(dirname(file), (m[1] ?? m[2] ?? m[3])!))
      if (existsSync(target)) visit(target)
      else missing.push(`${file} imports ${target}`)
    }
  }
  for (const e of entries) visit(e)
  return { files, missing }
}
