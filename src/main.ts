// `npm start`: validates the configuration, the rules and every model in processes/, and lists the processes.
// The embedded engine (src/engine) and the Camunda REST API come in the next steps; until then this is all it does,
// and it says so.

import { join } from 'node:path';
import { ConfigError, loadConfig } from './config.ts';
import { loadRegulation } from './domain/index.ts';
import { PROCESSES_DIR, readCatalogue } from './modeling/catalogue.ts';
import { lintBpmnFile } from './modeling/lint.ts';

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig();
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(e.message);
      return 2;
    }
    throw e;
  }
  const { rules } = loadRegulation();
  const edition = rules.editionAt(Date.now());
  console.log(
    `规则版本 rule edition in force: ${edition.id} (监理 ≥ ${edition.supervisionThreshold} 元, 第三方测试 ≥ ${edition.testingThreshold} 元)`,
  );

  const catalogue = await readCatalogue();
  let errors = 0;
  console.log(`\n流程 processes (${catalogue.processes.length}):`);
  for (const p of catalogue.processes) {
    const report = await lintBpmnFile(join(PROCESSES_DIR, p.file));
    errors += report.errors.length;
    const status = report.errors.length === 0 ? 'ok' : `${report.errors.length} lint error(s)`;
    console.log(
      `  ${p.id.padEnd(34)} ${p.name ?? ''}  [${p.userTasks.length} user tasks, ${p.jobTasks.length} service tasks, ${p.timers.length} timers] ${status}`,
    );
  }
  console.log(`决策 decisions: ${catalogue.decisions.flatMap((d) => d.ids).join(', ') || '(none)'}`);
  console.log(`表单 forms: ${catalogue.forms.length}`);
  console.log(
    `\nConfiguration: data in ${config.dataDir}, ${config.databaseUrl ? 'PostgreSQL' : 'SQLite'} store, ${
      config.camundaRestAddress ? `Camunda 8 at ${config.camundaRestAddress}` : 'embedded engine'
    }, http://${config.host}:${config.port}`,
  );
  console.log(
    'Note: the embedded engine and the HTTP server are not part of this build yet; `npm start` validates and lists the models only.',
  );
  return errors > 0 ? 1 : 0;
}

process.exitCode = await main();
