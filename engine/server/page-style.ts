/**
 * The approver page's stylesheet, served as `/assets/page.css` (the CSP allows styles from this
 * server only: no inline styles, no fonts or CDNs). Phone first: one column, large type, buttons a
 * thumb can hit; wider screens get a centred column.
 */
export const PAGE_CSS = `
:root {
  --fg: #1b1f24; --muted: #5b6470; --bg: #f6f7f9; --card: #fff; --line: #d9dde3;
  --ok: #0b7a3b; --ok-bg: #e6f4ec; --bad: #b42318; --bad-bg: #fdecea; --warn: #8a5a00; --warn-bg: #fff5db;
  --accent: #1d4ed8;
  color-scheme: light dark;
}
@media (prefers-color-scheme: dark) {
  :root { --fg: #e8eaed; --muted: #a3abb5; --bg: #111418; --card: #1a1e24; --line: #333a44;
    --ok: #4ade80; --ok-bg: #12301f; --bad: #f87171; --bad-bg: #3a1513; --warn: #fbbf24; --warn-bg: #33280c; --accent: #7aa2ff; }
}
* { box-sizing: border-box; }
html { -webkit-text-size-adjust: 100%; }
body { margin: 0; font: 18px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; color: var(--fg); background: var(--bg); }
main, #notice { max-width: 46rem; margin: 0 auto; padding: 0 1rem; }
#notice { padding: .75rem 1rem; margin-top: 1rem; }
.top { display: flex; align-items: baseline; gap: .5rem; padding: .75rem 1rem; border-bottom: 1px solid var(--line); background: var(--card); }
.top .home { font-weight: 700; color: var(--fg); text-decoration: none; }
.top .sub { color: var(--muted); }
.top .live { margin-left: auto; font-size: .8rem; color: var(--muted); }
h1 { font-size: 1.5rem; margin: 1rem 0 .25rem; }
h2 { font-size: 1.2rem; margin: 0 0 .5rem; }
code { font-family: ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.meta, .run-meta, .run-id, .hint, .kind, .group, .dur { color: var(--muted); }
.badge { display: inline-block; font-size: .8rem; font-weight: 600; padding: .1rem .5rem; border-radius: 1rem; vertical-align: middle; background: var(--line); }
.state-waiting, .state-paused { background: var(--warn-bg); color: var(--warn); }
.state-succeeded { background: var(--ok-bg); color: var(--ok); }
.state-failed, .state-cancelled, .state-damaged, .state-never-started { background: var(--bad-bg); color: var(--bad); }
.clock p { margin: .5rem 0 .25rem; }
.clock meter { width: 100%; height: 1rem; }
.clock.over b { color: var(--bad); }
.warn, .error, .note, .notice { padding: .75rem 1rem; border-radius: .5rem; }
.warn { background: var(--warn-bg); color: var(--warn); }
.error { background: var(--bad-bg); color: var(--bad); }
.note { background: var(--card); border: 1px solid var(--line); }
.notice { margin: 1rem auto 0; background: var(--ok-bg); color: var(--ok); font-weight: 600; }
.notice.bad { background: var(--bad-bg); color: var(--bad); }
.empty { color: var(--muted); padding: 1rem 0; }
.wait, .identity { background: var(--card); border: 1px solid var(--line); border-radius: .75rem; padding: 1rem; margin: 1rem auto; }
.kind-gate, .kind-manual { border-left: .4rem solid var(--warn); }
.wait .what { color: var(--warn); }
.instructions { white-space: pre-wrap; overflow-wrap: anywhere; font-size: 1.1rem; padding: .75rem 1rem; border-radius: .5rem; background: var(--bg); border: 1px solid var(--line); margin: .5rem 0 1rem; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; margin: 0 0 1rem; }
.facts dt { color: var(--muted); }
.facts dd { margin: 0; overflow-wrap: anywhere; }
.person { display: inline-block; padding: 0 .4rem; border: 1px solid var(--line); border-radius: .3rem; margin: 0 .2rem .2rem 0; }
.person.done { background: var(--ok-bg); color: var(--ok); border-color: var(--ok); }
.person.done::after { content: " ✓"; }
details { margin: .5rem 0; }
summary { cursor: pointer; color: var(--accent); padding: .25rem 0; }
ol { padding-left: 1.5rem; margin: .25rem 0; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
textarea { width: 100%; font: inherit; padding: .5rem; border: 1px solid var(--line); border-radius: .5rem; background: var(--bg); color: var(--fg); }
textarea:focus, button:focus-visible, input:focus-visible { outline: 3px solid var(--accent); outline-offset: 2px; }
.buttons { display: flex; gap: .75rem; margin-top: .75rem; }
button { font: inherit; font-weight: 700; font-size: 1.2rem; min-height: 3.5rem; flex: 1; border: 0; border-radius: .6rem; cursor: pointer; color: #fff; padding: .5rem 1rem; }
button.approve { background: #0b7a3b; }
button.reject { background: #b42318; }
button.secondary { background: var(--accent); font-size: 1rem; min-height: 2.75rem; margin-top: .5rem; width: 100%; }
button:disabled { opacity: .45; cursor: not-allowed; }
.why-disabled { color: var(--muted); font-size: .9rem; margin: .5rem 0 0; }
.result:empty { display: none; }
.result { margin: .75rem 0 0; padding: .75rem 1rem; border-radius: .5rem; font-weight: 600; }
.result.ok { background: var(--ok-bg); color: var(--ok); }
.result.bad { background: var(--bad-bg); color: var(--bad); }
.result.busy { background: var(--bg); color: var(--muted); }
.file input { display: block; width: 100%; margin-top: .5rem; font-size: 1rem; padding: .75rem; border: 2px dashed var(--line); border-radius: .5rem; background: var(--bg); }
.who { font-weight: 600; }
.who.ok { color: var(--ok); }
.who.bad { color: var(--bad); }
.runs { list-style: none; padding: 0; }
.run-card { display: block; padding: 1rem; margin: .75rem 0; border: 1px solid var(--line); border-radius: .75rem; background: var(--card); color: var(--fg); text-decoration: none; }
.run-card > span { display: block; }
.run-title { font-weight: 700; font-size: 1.1rem; }
.run-wait { color: var(--warn); }
.run-id { font-size: .8rem; overflow-wrap: anywhere; }
.ran li { margin: .2rem 0; }
.st-failed .status { color: var(--bad); }
.st-succeeded .status { color: var(--ok); }
@media (max-width: 30rem) {
  .facts { grid-template-columns: 1fr; }
  .facts dd { margin-bottom: .5rem; }
  .buttons { flex-direction: column; }
}
`;
