// The engine's SQLite schema: one table per kind of state (as Zeebe has one column family per kind),
// plus the append-only event log. Times are epoch milliseconds; keys are 64-bit integers.
// The current version is the number of migrations (SCHEMA_VERSION, at the end): appending one is the whole change.

export const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL);

  CREATE TABLE deployments (key INTEGER PRIMARY KEY, created INTEGER NOT NULL, tenant_id TEXT NOT NULL);
  CREATE TABLE resources (
    key INTEGER PRIMARY KEY, deployment_key INTEGER NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL,
    checksum TEXT NOT NULL, content TEXT NOT NULL);

  CREATE TABLE process_definitions (
    key INTEGER PRIMARY KEY, process_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT, version_tag TEXT,
    resource_key INTEGER NOT NULL, resource_name TEXT NOT NULL, deployment_key INTEGER NOT NULL,
    checksum TEXT NOT NULL, model TEXT NOT NULL, tenant_id TEXT NOT NULL, UNIQUE (process_id, version));

  CREATE TABLE decision_requirements (
    key INTEGER PRIMARY KEY, drg_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT,
    resource_key INTEGER NOT NULL, resource_name TEXT NOT NULL, deployment_key INTEGER NOT NULL,
    checksum TEXT NOT NULL, tenant_id TEXT NOT NULL, UNIQUE (drg_id, version));
  CREATE TABLE decision_definitions (
    key INTEGER PRIMARY KEY, decision_id TEXT NOT NULL, version INTEGER NOT NULL, name TEXT,
    drg_key INTEGER NOT NULL, drg_id TEXT NOT NULL, deployment_key INTEGER NOT NULL, tenant_id TEXT NOT NULL,
    model TEXT NOT NULL,
    UNIQUE (decision_id, version));

  CREATE TABLE forms (
    key INTEGER PRIMARY KEY, form_id TEXT NOT NULL, version INTEGER NOT NULL, resource_name TEXT NOT NULL,
    deployment_key INTEGER NOT NULL, checksum TEXT NOT NULL, content TEXT NOT NULL, tenant_id TEXT NOT NULL,
    UNIQUE (form_id, version));

  CREATE TABLE process_instances (
    key INTEGER PRIMARY KEY, process_definition_key INTEGER NOT NULL, process_id TEXT NOT NULL,
    version INTEGER NOT NULL, state TEXT NOT NULL, start_date INTEGER NOT NULL, end_date INTEGER,
    parent_process_instance_key INTEGER, parent_element_instance_key INTEGER,
    incident_count INTEGER NOT NULL DEFAULT 0, tenant_id TEXT NOT NULL);
  CREATE INDEX process_instances_state ON process_instances (state, key);
  CREATE INDEX process_instances_parent ON process_instances (parent_process_instance_key);

  CREATE TABLE element_instances (
    key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL,
    element_id TEXT NOT NULL, element_type TEXT NOT NULL, flow_scope_key INTEGER, state TEXT NOT NULL,
    start_date INTEGER NOT NULL, end_date INTEGER, incident_key INTEGER, data TEXT);
  CREATE INDEX element_instances_scope ON element_instances (flow_scope_key, state);
  CREATE INDEX element_instances_process ON element_instances (process_instance_key);

  CREATE TABLE variables (
    key INTEGER PRIMARY KEY, scope_key INTEGER NOT NULL, name TEXT NOT NULL, value TEXT NOT NULL,
    process_instance_key INTEGER NOT NULL, tenant_id TEXT NOT NULL, UNIQUE (scope_key, name));
  CREATE INDEX variables_process ON variables (process_instance_key);

  CREATE TABLE jobs (
    key INTEGER PRIMARY KEY, type TEXT NOT NULL, state TEXT NOT NULL, retries INTEGER NOT NULL,
    worker TEXT, deadline INTEGER, activatable_at INTEGER, error_message TEXT, error_code TEXT,
    custom_headers TEXT NOT NULL, process_instance_key INTEGER NOT NULL, element_instance_key INTEGER NOT NULL,
    element_id TEXT NOT NULL, process_definition_key INTEGER NOT NULL, process_id TEXT NOT NULL,
    version INTEGER NOT NULL, kind TEXT NOT NULL, created INTEGER NOT NULL, ended INTEGER, tenant_id TEXT NOT NULL);
  CREATE INDEX jobs_activatable ON jobs (type, activatable_at) WHERE activatable_at IS NOT NULL;
  CREATE INDEX jobs_deadline ON jobs (deadline) WHERE deadline IS NOT NULL;
  CREATE INDEX jobs_backoff ON jobs (activatable_at) WHERE activatable_at IS NOT NULL;
  CREATE INDEX jobs_element ON jobs (element_instance_key);

  CREATE TABLE user_tasks (
    key INTEGER PRIMARY KEY, state TEXT NOT NULL, element_instance_key INTEGER NOT NULL,
    process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL, process_id TEXT NOT NULL,
    version INTEGER NOT NULL, element_id TEXT NOT NULL, name TEXT, assignee TEXT, candidate_groups TEXT NOT NULL,
    candidate_users TEXT NOT NULL, due_date INTEGER, follow_up_date INTEGER, form_key INTEGER,
    external_form_reference TEXT, priority INTEGER NOT NULL, custom_headers TEXT NOT NULL,
    creation_date INTEGER NOT NULL, completion_date INTEGER, tenant_id TEXT NOT NULL);
  CREATE INDEX user_tasks_state ON user_tasks (state, key);
  CREATE INDEX user_tasks_element ON user_tasks (element_instance_key);
  CREATE INDEX user_tasks_process ON user_tasks (process_instance_key);

  CREATE TABLE timers (
    key INTEGER PRIMARY KEY, element_instance_key INTEGER, process_instance_key INTEGER,
    process_definition_key INTEGER NOT NULL, element_id TEXT NOT NULL, due_date INTEGER NOT NULL,
    repetitions INTEGER NOT NULL, kind TEXT NOT NULL, value TEXT NOT NULL, interrupting INTEGER NOT NULL);
  CREATE INDEX timers_due ON timers (due_date);
  CREATE INDEX timers_element ON timers (element_instance_key);
  CREATE INDEX timers_definition ON timers (process_definition_key) WHERE element_instance_key IS NULL;

  CREATE TABLE message_subscriptions (
    key INTEGER PRIMARY KEY, element_instance_key INTEGER NOT NULL, process_instance_key INTEGER NOT NULL,
    process_definition_key INTEGER NOT NULL, process_id TEXT NOT NULL, element_id TEXT NOT NULL,
    message_name TEXT NOT NULL, correlation_key TEXT NOT NULL, interrupting INTEGER NOT NULL,
    created INTEGER NOT NULL);
  CREATE INDEX message_subscriptions_correlation ON message_subscriptions (message_name, correlation_key);
  CREATE INDEX message_subscriptions_element ON message_subscriptions (element_instance_key);

  CREATE TABLE message_start_subscriptions (
    process_definition_key INTEGER NOT NULL, process_id TEXT NOT NULL, element_id TEXT NOT NULL,
    message_name TEXT NOT NULL, PRIMARY KEY (process_definition_key, element_id));
  CREATE INDEX message_start_subscriptions_name ON message_start_subscriptions (message_name);

  CREATE TABLE messages (
    key INTEGER PRIMARY KEY, name TEXT NOT NULL, correlation_key TEXT NOT NULL, message_id TEXT,
    variables TEXT NOT NULL, published INTEGER NOT NULL, deadline INTEGER NOT NULL, tenant_id TEXT NOT NULL);
  CREATE INDEX messages_correlation ON messages (name, correlation_key);
  CREATE INDEX messages_deadline ON messages (deadline);
  CREATE INDEX messages_id ON messages (name, message_id) WHERE message_id IS NOT NULL;

  CREATE TABLE message_correlations (
    message_key INTEGER NOT NULL, process_instance_key INTEGER NOT NULL,
    PRIMARY KEY (message_key, process_instance_key));
  CREATE TABLE message_start_correlations (
    message_key INTEGER NOT NULL, process_id TEXT NOT NULL, PRIMARY KEY (message_key, process_id));
  CREATE TABLE message_start_instances (
    process_id TEXT NOT NULL, correlation_key TEXT NOT NULL, process_instance_key INTEGER NOT NULL,
    PRIMARY KEY (process_id, correlation_key));
  CREATE INDEX message_start_instances_instance ON message_start_instances (process_instance_key);

  CREATE TABLE incidents (
    key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL,
    process_id TEXT NOT NULL, element_id TEXT NOT NULL, element_instance_key INTEGER NOT NULL, job_key INTEGER,
    error_type TEXT NOT NULL, error_message TEXT NOT NULL, state TEXT NOT NULL, created INTEGER NOT NULL,
    resolved INTEGER, tenant_id TEXT NOT NULL);
  CREATE INDEX incidents_state ON incidents (state, key);
  CREATE INDEX incidents_element ON incidents (element_instance_key);
  CREATE INDEX incidents_process ON incidents (process_instance_key);

  CREATE TABLE records (
    position INTEGER PRIMARY KEY, key INTEGER NOT NULL, timestamp INTEGER NOT NULL, value_type TEXT NOT NULL,
    intent TEXT NOT NULL, process_instance_key INTEGER, element_id TEXT, value TEXT);
  CREATE INDEX records_process ON records (process_instance_key) WHERE process_instance_key IS NOT NULL;
  `,
  // Version 2 — indexes of the read side (issue 17): every filter and sort of the search API runs in SQL. Variables are
  // found by (name, value) — values at most 512 characters long (search-sql.ts INDEXED_VALUE_LENGTH), so that
  // large documents stay out of the index; the inbox walks open tasks by due date or creation date
  // (and stops at the page's end); assignees and
  // instance start dates are looked up or sorted without a scan.
  `
  CREATE INDEX variables_name_value ON variables (name, value) WHERE length(value) <= 512;
  CREATE INDEX user_tasks_state_created ON user_tasks (state, creation_date);
  CREATE INDEX user_tasks_state_due ON user_tasks (state, (due_date IS NULL), due_date, creation_date);
  CREATE INDEX user_tasks_assignee ON user_tasks (assignee, state) WHERE assignee IS NOT NULL;
  CREATE INDEX process_instances_start ON process_instances (start_date);
  CREATE INDEX process_instances_process ON process_instances (process_id, start_date);
  `,
];

// Version 3: the follow-up steps a command left for later transactions (bounded work per command).
MIGRATIONS.push(`
  CREATE TABLE pending_steps (
    seq INTEGER PRIMARY KEY, kind TEXT NOT NULL, key INTEGER NOT NULL, process_instance_key INTEGER);
  CREATE INDEX pending_steps_process ON pending_steps (process_instance_key);
`);

// Version 4 (issue 17): open-task counts, so that an inbox's true total is a sum of counters instead of a count
// over every open task of the viewer's groups. A task's `partition_value` is its process instance's `tenantId`
// variable (JSON text: the business tenant the inbox filters on), copied when the task is created and kept when
// the variable changes (state/userTaskCounts.ts). One counter per (candidate group list, partition value) of the
// open tasks: the lists are few (one per assignment in a model), and a task counts once however many of the
// viewer's groups it names.
MIGRATIONS.push(`
  ALTER TABLE user_tasks ADD COLUMN partition_value TEXT;
  UPDATE user_tasks SET partition_value = (SELECT v.value FROM variables v
    WHERE v.scope_key = user_tasks.process_instance_key AND v.name = 'tenantId') WHERE state = 'CREATED';
  CREATE TABLE user_task_open_counts (
    candidate_groups TEXT NOT NULL, partition_value TEXT NOT NULL, n INTEGER NOT NULL,
    PRIMARY KEY (candidate_groups, partition_value)) WITHOUT ROWID;
  INSERT INTO user_task_open_counts (candidate_groups, partition_value, n)
    SELECT candidate_groups, coalesce(partition_value, ''), count(*) FROM user_tasks WHERE state = 'CREATED'
    GROUP BY candidate_groups, coalesce(partition_value, '');
`);

// Version 5 (issue 14 §3): Camunda 8.8 process-instance tags, a JSON array of strings, null when none were given.
MIGRATIONS.push(`
  ALTER TABLE process_instances ADD COLUMN tags TEXT;
`);

// Version 6 (issue 15 §1): the element-instance counts of a process definition (POST /v2/process-definitions/{key}/
// statistics/element-instances, Operate's diagram overlay) read that definition's element instances only.
MIGRATIONS.push(`
  CREATE INDEX IF NOT EXISTS element_instances_definition ON element_instances (process_definition_key, element_id);
`);

// Version 7 (issue 15 §1): batch operations, Camunda 8.8's cancel / resolve-incident batches over a process-instance
// filter.
// The items are fixed when the batch is created; each is applied in its own transaction together with its state,
// so a crash leaves every item either applied and COMPLETED or untouched and ACTIVE, and the batch goes on after a
// restart.
MIGRATIONS.push(`
  CREATE TABLE batch_operations (
    key INTEGER PRIMARY KEY, type TEXT NOT NULL, state TEXT NOT NULL, filter TEXT NOT NULL, payload TEXT,
    start_date INTEGER NOT NULL, end_date INTEGER, total INTEGER NOT NULL,
    completed INTEGER NOT NULL DEFAULT 0, failed INTEGER NOT NULL DEFAULT 0);
  CREATE TABLE batch_operation_items (
    batch_key INTEGER NOT NULL, item_key INTEGER NOT NULL, process_instance_key INTEGER NOT NULL,
    state TEXT NOT NULL, processed_date INTEGER, error_message TEXT,
    PRIMARY KEY (batch_key, item_key)) WITHOUT ROWID;
  CREATE INDEX batch_operation_items_active ON batch_operation_items (state, batch_key);
`);

// Version 8 (issue 14 §2, §1.3): signal subscriptions — a signal start event of a process's latest version (no
// element instance) or a catch event, boundary event or event sub-process start held by an element instance; and
// what each deployment contained (new versions and unchanged ones), for bindingType 'deployment', and decisions'
// version tags (zeebe:versionTag in the DMN), for bindingType 'versionTag'. Appended after
// versions 6 and 7 (other changes'); nothing before it is altered.
MIGRATIONS.push(`
  CREATE TABLE signal_subscriptions (
    key INTEGER PRIMARY KEY, signal_name TEXT NOT NULL, process_definition_key INTEGER NOT NULL,
    process_id TEXT NOT NULL, element_id TEXT NOT NULL, element_instance_key INTEGER, process_instance_key INTEGER,
    interrupting INTEGER NOT NULL, tenant_id TEXT NOT NULL);
  CREATE INDEX signal_subscriptions_name ON signal_subscriptions (signal_name, key);
  CREATE INDEX signal_subscriptions_element ON signal_subscriptions (element_instance_key);
  CREATE INDEX signal_subscriptions_start ON signal_subscriptions (process_definition_key)
    WHERE element_instance_key IS NULL;
  CREATE TABLE deployment_contents (
    deployment_key INTEGER NOT NULL, kind TEXT NOT NULL, resource_id TEXT NOT NULL, definition_key INTEGER NOT NULL,
    PRIMARY KEY (deployment_key, kind, resource_id)) WITHOUT ROWID;
  CREATE TABLE decision_version_tags (
    decision_key INTEGER PRIMARY KEY, decision_id TEXT NOT NULL, version_tag TEXT NOT NULL);
  CREATE INDEX decision_version_tags_id ON decision_version_tags (decision_id, version_tag);
`);

// Version 9 (issue 14 §1.4): execution listeners — a listener's job (kind EXECUTION_LISTENER) says whether it runs
// when its element starts or ends, as Camunda's job records and `/v2/jobs` answers do; other jobs are UNSPECIFIED.
MIGRATIONS.push(`
  ALTER TABLE jobs ADD COLUMN listener_event_type TEXT NOT NULL DEFAULT 'UNSPECIFIED';
`);

// Version 10 (issues 15 §1, 14 §3): the history Operate shows that the event log does not keep whole —
// each decision of a decision evaluation (`<evaluationKey>-<n>`, as Camunda numbers them) with its evaluated
// inputs and matched rules (JSON), and each message correlation that reached a subscription (numbered in
// correlation order). Written in the transaction of the evaluation or correlation itself.
MIGRATIONS.push(`
  CREATE TABLE decision_instances (
    key TEXT PRIMARY KEY, evaluation_key INTEGER NOT NULL, n INTEGER NOT NULL, state TEXT NOT NULL,
    evaluation_date INTEGER NOT NULL, evaluation_failure TEXT, process_definition_key INTEGER,
    process_instance_key INTEGER, element_instance_key INTEGER, decision_key INTEGER NOT NULL,
    decision_id TEXT NOT NULL, decision_name TEXT, decision_version INTEGER NOT NULL, decision_type TEXT NOT NULL,
    result TEXT, tenant_id TEXT NOT NULL, evaluated_inputs TEXT NOT NULL, matched_rules TEXT NOT NULL);
  CREATE INDEX decision_instances_evaluation ON decision_instances (evaluation_key, n);
  CREATE INDEX decision_instances_process ON decision_instances (process_instance_key)
    WHERE process_instance_key IS NOT NULL;
  CREATE INDEX decision_instances_decision ON decision_instances (decision_id, evaluation_date);
  CREATE TABLE correlated_message_subscriptions (
    key INTEGER PRIMARY KEY, message_key INTEGER NOT NULL, subscription_key INTEGER NOT NULL,
    correlation_key TEXT NOT NULL, correlation_time INTEGER NOT NULL, element_id TEXT NOT NULL, element_instance_key INTEGER,
    message_name TEXT NOT NULL, process_id TEXT NOT NULL, process_definition_key INTEGER NOT NULL,
    process_instance_key INTEGER NOT NULL, tenant_id TEXT NOT NULL);
  CREATE INDEX correlated_message_subscriptions_message ON correlated_message_subscriptions (message_key);
  CREATE INDEX correlated_message_subscriptions_process ON correlated_message_subscriptions (process_instance_key);
  CREATE INDEX correlated_message_subscriptions_name ON correlated_message_subscriptions (message_name);
`);

// Version 11 (issue 15 §1): a deleted resource (POST /v2/resources/{key}/deletion) leaves the runtime — no new
// instance, call, decision or form link finds it, and its start events stop listening — while the history of its
// finished instances stays readable, as Camunda 8.8 keeps it in secondary storage; version numbers are not reused.
MIGRATIONS.push(`
  ALTER TABLE process_definitions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE decision_requirements ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE decision_definitions ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  ALTER TABLE forms ADD COLUMN deleted INTEGER NOT NULL DEFAULT 0;
  CREATE INDEX process_instances_definition ON process_instances (process_definition_key, state);
`);

// Version 12 (issue 14 §2): compensation subscriptions (Zeebe's CompensationSubscriptionState) — one per completed
// activity that has a compensation boundary event, or per completed sub-process / multi-instance body holding such
// subscriptions (no handler), in the scope it completed in; a compensation throw event marks the ones it triggers
// with itself and the handler instance it started. Self-contained (IF NOT EXISTS): it only adds its own table, so it
// does not depend on which other version lands before or after it.
MIGRATIONS.push(`
  CREATE TABLE IF NOT EXISTS compensation_subscriptions (
    key INTEGER PRIMARY KEY, process_instance_key INTEGER NOT NULL, process_definition_key INTEGER NOT NULL,
    activity_id TEXT NOT NULL, activity_instance_key INTEGER NOT NULL, scope_key INTEGER NOT NULL,
    handler_id TEXT, throw_event_id TEXT, throw_event_instance_key INTEGER, handler_instance_key INTEGER,
    tenant_id TEXT NOT NULL);
  CREATE INDEX IF NOT EXISTS compensation_subscriptions_process
    ON compensation_subscriptions (process_instance_key, key);
`);

// Version 13 (issue 17, history retention): the ended root instances by end date, which the retention reads oldest
// first (engine/retention.ts), and message correlations by instance, which it removes with the instance's history.
// Self-contained: two indexes (IF NOT EXISTS, as version 6), nothing altered.
MIGRATIONS.push(`
  CREATE INDEX IF NOT EXISTS process_instances_root_ended ON process_instances (end_date)
    WHERE parent_process_instance_key IS NULL AND end_date IS NOT NULL;
  CREATE INDEX IF NOT EXISTS message_correlations_process ON message_correlations (process_instance_key);
`);

export const SCHEMA_VERSION: number = MIGRATIONS.length;
