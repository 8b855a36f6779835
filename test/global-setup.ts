import { buildWidget } from '../channels/chat/widget/build.js';

/** Runs once before all test files: the widget Loket serves at /widget.js. */
export default async function setup(): Promise<void> {
  await buildWidget('dist/widget/widget.js');
}
