// Who is signed in (GET /api/me) and what that lets them see. The server decides every permission; these checks
// only choose what to show, so nobody is offered an action the API would refuse.

let me = null;
let vocab = null;

export function current() {
  return me;
}

/**
 * SU-2: the Bureau as the edition in force today for the signed-in user's tenant names it (GET /api/me bureauName):
 * 市政务服务数据管理局 under 云府办〔2020〕2号, 市政务服务和数据管理局 under 云府办〔2024〕8号.
 */
export function bureau() {
  return me?.bureauName ?? '市主管部门';
}

export function setCurrent(account) {
  me = account;
  nameTheBureau();
}

let servedRoles = null;
/** The Bureau's groups named as the edition in force today for the user's tenant names the Bureau (SU-2). */
function nameTheBureau() {
  if (!vocab) return;
  servedRoles ??= { ...vocab.roles };
  const name = me?.bureauName;
  vocab.roles = Object.fromEntries(
    Object.entries(servedRoles).map(([id, n]) => [id, name ? n.replace('市政务服务数据管理局', name) : n]),
  );
}

/** The closed vocabularies and labels (service types, stages, roles…), from the server's domain module. */
export async function vocabulary() {
  if (!vocab) {
    const res = await fetch('/assets/app/vocabulary.json');
    vocab = await res.json();
    nameTheBureau();
  }
  return vocab;
}

export function vocabSync() {
  return vocab;
}

const has = (roles) => Boolean(me?.roles.some((r) => roles.includes(r)));

export const can = {
  /** Unit staff and the responsible section draft and submit their Unit's projects (G-6) and file plans (P-1). */
  writeProjects: () => Boolean(me?.unitId) && has(['unit-staff', 'unit-section']),
  /** Whoever sees the 项目库: the Unit its own projects, the Bureau, Finance, the City Government, Audit. */
  readProjects: () =>
    has([
      'unit-staff',
      'unit-section',
      'unit-leadership',
      'bureau-reviewer',
      'bureau-admin',
      'finance',
      'city-government',
      'audit',
    ]),
  statistics: () => can.readProjects(),
  /** Everyone with a candidate group has a task list. */
  tasks: () => (me?.groups ?? []).length > 0,
  /** The operations view is the Bureau administrators' (Operate's equivalent). */
  operate: () => has(['bureau-admin']),
  /** The tenant-wide view of every task and its deadlines: the Bureau's administrator and Audit (SV-1). */
  overview: () => has(['bureau-admin', 'audit']),
  readOnly: () => Boolean(me) && me.roles.every((r) => r === 'audit'),
  isUnit: () => Boolean(me?.unitId),
};
