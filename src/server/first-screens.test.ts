import { describe, expect, it } from 'vitest'
import { firstScreenShells, preloadTags, type BuildManifest } from './first-screens.ts'

const manifest: BuildManifest = {
  'index.html': { file: 'assets/index-1.js', isEntry: true, imports: ['_shell-1.js'], css: ['assets/index-1.css'] },
  '_shell-1.js': { file: 'assets/shell-1.js' },
  '_use-request-1.js': { file: 'assets/use-request-1.js' },
  'src/client/features/auth/LoginPage.vue': {
    file: 'assets/LoginPage-1.js',
    imports: ['_shell-1.js', 'index.html', '_use-request-1.js'],
    css: ['assets/LoginPage-1.css', 'assets/auth-1.css'],
  },
  'src/client/features/meetings/SignInLinkPage.vue': { file: 'assets/SignInLinkPage-1.js', imports: ['index.html', '_use-request-1.js'] },
}
const shell = '<html><head><title>党建随行</title></head><body><div id="app"></div></body></html>'

describe('the pages a visit can start on announce their own files', () => {
  it('lists the page chunk, what it imports beyond the entry, and its styles', () => {
    expect(preloadTags(manifest, ['src/client/features/auth/LoginPage.vue'])).toBe(
      '<link rel="modulepreload" crossorigin href="/assets/LoginPage-1.js">' +
        '<link rel="modulepreload" crossorigin href="/assets/use-request-1.js">' +
        '<link rel="stylesheet" crossorigin href="/assets/LoginPage-1.css">' +
        '<link rel="stylesheet" crossorigin href="/assets/auth-1.css">',
    )
  })

  it('serves them in the shell of /login and of a sign-in link (which may go on to the login page), and nowhere else', () => {
    const shellFor = firstScreenShells(shell, manifest)
    expect(shellFor('/login')).toContain('LoginPage-1.js')
    expect(shellFor('/login')).toMatch(/auth-1\.css">\s*<\/head>/)
    const link = shellFor('/s/0192f0c4-0000-7000-8000-000000000001/177000000/abcdefghijklmnopqrstuv') ?? ''
    expect(link).toContain('SignInLinkPage-1.js')
    expect(link).toContain('LoginPage-1.js')
    expect(link.match(/use-request-1\.js/g)).toHaveLength(1)
    expect(shellFor('/')).toBeNull()
    expect(shellFor('/loginx')).toBeNull()
  })
})
