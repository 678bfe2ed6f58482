// Lays out a BPMN file that has no diagram interchange (or whose layout should be redone), in place:
//   npx tsx scripts/layout-bpmn.ts processes/foo.bpmn [--expanded SubProcess_A,SubProcess_B]
// bpmn-auto-layout 1.3 draws the content of collapsed sub-processes into the process plane; this script moves
// that content onto a drill-down plane per collapsed sub-process, as Camunda Modeler expects. Sub-processes named
// with --expanded are laid out expanded on the process plane instead.
import { readFileSync, writeFileSync } from 'node:fs';
import { layoutProcess } from 'bpmn-auto-layout';
import { bpmnModdle, type ModdleElement } from '../src/modeling/moddle.ts';

const args = process.argv.slice(2);
const expandedAt = args.indexOf('--expanded');
const expanded = new Set(expandedAt >= 0 ? (args[expandedAt + 1] ?? '').split(',').filter(Boolean) : []);
const files = args.filter((a, i) => a !== '--expanded' && (expandedAt < 0 || i !== expandedAt + 1));
if (files.length === 0) {
  console.error(
    'usage: npx tsx scripts/layout-bpmn.ts <file.bpmn> [...] [--expanded SubProcess_A,SubProcess_B]',
  );
  process.exit(2);
}

async function layout(file: string): Promise<string[]> {
  let xml = readFileSync(file, 'utf8').replace(/<bpmndi:BPMNDiagram[\s\S]*<\/bpmndi:BPMNDiagram>\s*/g, '');
  const processId = xml.match(/<bpmn:process id="([^"]+)"/)?.[1];
  if (!processId) throw new Error(`${file}: no bpmn:process`);
  if (expanded.size > 0) {
    // bpmn-auto-layout keeps a sub-process expanded when its existing shape says so
    const shapes = [...expanded]
      .map(
        (id) =>
          `<bpmndi:BPMNShape id="${id}_di" bpmnElement="${id}" isExpanded="true"><dc:Bounds x="0" y="0" width="100" height="80" /></bpmndi:BPMNShape>`,
      )
      .join('');
    xml = xml.replace(
      '</bpmn:definitions>',
      `<bpmndi:BPMNDiagram id="D"><bpmndi:BPMNPlane id="P" bpmnElement="${processId}">${shapes}</bpmndi:BPMNPlane></bpmndi:BPMNDiagram></bpmn:definitions>`,
    );
  }
  const moddle = bpmnModdle();
  const { rootElement: defs } = await moddle.fromXML(await layoutProcess(xml));
  const proc = defs.rootElements.find((r: ModdleElement) => r.$type === 'bpmn:Process');
  const planeOwner = new Map<string, string>();
  const byId = new Map<string, ModdleElement>();
  const walk = (container: ModdleElement, owner: string | null) => {
    for (const el of container.flowElements ?? []) {
      byId.set(el.id, el);
      if (owner) planeOwner.set(el.id, owner);
      if (el.$type === 'bpmn:SubProcess') walk(el, expanded.has(el.id) ? owner : el.id);
    }
  };
  walk(proc, null);
  const rootPlane = defs.diagrams[0].plane;
  const planes = new Map<string, ModdleElement[]>();
  const keep: ModdleElement[] = [];
  for (const di of rootPlane.planeElement) {
    const owner = planeOwner.get(di.bpmnElement.id);
    if (!owner) keep.push(di);
    else planes.set(owner, [...(planes.get(owner) ?? []), di]);
  }
  rootPlane.planeElement = keep;
  for (const [owner, elements] of planes) {
    const xs: number[] = [];
    const ys: number[] = [];
    for (const e of elements) {
      if (e.bounds) {
        xs.push(e.bounds.x);
        ys.push(e.bounds.y);
      }
      for (const w of e.waypoint ?? []) {
        xs.push(w.x);
        ys.push(w.y);
      }
    }
    const dx = 60 - Math.min(...xs);
    const dy = 60 - Math.min(...ys);
    for (const e of elements) moveBy(e, dx, dy);
    const plane = moddle.create('bpmndi:BPMNPlane', {
      id: `BPMNPlane_${owner}`,
      bpmnElement: byId.get(owner),
      planeElement: elements,
    });
    defs.diagrams.push(moddle.create('bpmndi:BPMNDiagram', { id: `BPMNDiagram_${owner}`, plane }));
  }
  spreadBoundaryEvents(defs, byId);
  const { xml: out } = await moddle.toXML(defs, { format: true });
  writeFileSync(file, out);
  return [...planes.keys()];
}

function moveBy(e: ModdleElement, dx: number, dy: number): void {
  if (e.bounds) {
    e.bounds.x += dx;
    e.bounds.y += dy;
  }
  for (const w of e.waypoint ?? []) {
    w.x += dx;
    w.y += dy;
  }
  if (e.label?.bounds) {
    e.label.bounds.x += dx;
    e.label.bounds.y += dy;
  }
}

/** bpmn-auto-layout puts every boundary event of an activity on the same spot; spread them along its bottom edge. */
function spreadBoundaryEvents(defs: ModdleElement, byId: Map<string, ModdleElement>): void {
  for (const diagram of defs.diagrams) {
    const shapes = new Map<string, ModdleElement>();
    const edgesFrom = new Map<string, ModdleElement[]>();
    for (const di of diagram.plane.planeElement) {
      shapes.set(di.bpmnElement.id, di);
      const source = di.bpmnElement.sourceRef?.id;
      if (source) edgesFrom.set(source, [...(edgesFrom.get(source) ?? []), di]);
    }
    const byHost = new Map<string, ModdleElement[]>();
    for (const [id, di] of shapes) {
      const host = byId.get(id)?.attachedToRef?.id;
      if (host && shapes.has(host)) byHost.set(host, [...(byHost.get(host) ?? []), di]);
    }
    for (const [host, events] of byHost) {
      if (events.length < 2) continue;
      const hostBounds = shapes.get(host).bounds;
      events.forEach((di: ModdleElement, k: number) => {
        const x =
          hostBounds.x + hostBounds.width - 18 - 36 * (events.length - k) - 4 * (events.length - 1 - k);
        const dx = x - di.bounds.x;
        moveBy(di, dx, 0);
        for (const edge of edgesFrom.get(di.bpmnElement.id) ?? []) {
          const [first, second] = edge.waypoint;
          if (second && second.x === first.x) second.x += dx;
          first.x += dx;
        }
      });
    }
  }
}

for (const file of files) {
  const planes = await layout(file);
  console.log(`laid out ${file}; drill-down planes: ${planes.join(', ') || 'none'}`);
}
