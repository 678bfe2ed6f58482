// Child process of the timer burst crash test: opens an engine file whose timers are overdue, lets the
// scheduler's own bounded passes fire them, prints FIRED after each committed batch and DONE once none is
// left. The test kills it with SIGKILL in between and starts it again.
import { Engine } from '../../src/engine/engine.ts';

const file = process.argv[2]!;
const engine = await Engine.open({ file, synchronous: 'FULL', scheduler: false });
engine.onTimersFired(() => process.stdout.write('FIRED\n'));
engine.startScheduler();
for (;;) {
  const left = engine.read((it) => it.state.timers.earliestDue());
  if (left === null && !engine.hasPendingSteps()) break;
  await new Promise((r) => setTimeout(r, 20));
}
engine.close();
process.stdout.write('DONE\n');
