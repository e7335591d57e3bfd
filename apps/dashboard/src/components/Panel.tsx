import { type JSX, Show } from 'solid-js';

/** A page section: `section-<name>` for tests, and its heading. */
export function Section(props: { name: string; title: string; children: JSX.Element }) {
  return (
    <section class="section" data-testid={`section-${props.name}`}>
      <h1>{props.title}</h1>
      {props.children}
    </section>
  );
}

/** A titled panel; `hint` goes to the right of the title. */
export function Panel(props: { title: JSX.Element; hint?: JSX.Element; children: JSX.Element }) {
  return (
    <div class="panel">
      <div class="panel-title">
        <span>{props.title}</span>
        <Show when={props.hint}>
          <span class="hint">{props.hint}</span>
        </Show>
      </div>
      {props.children}
    </div>
  );
}
