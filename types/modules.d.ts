// Packages of the bpmn.io toolchain that ship no type declarations.
declare module 'bpmn-moddle' {
  // biome-ignore lint/suspicious/noExplicitAny: moddle is dynamically typed
  export const BpmnModdle: new (packages?: Record<string, unknown>) => any;
}
declare module 'dmn-moddle' {
  // biome-ignore lint/suspicious/noExplicitAny: moddle is dynamically typed
  export const DmnModdle: new (packages?: Record<string, unknown>) => any;
}
declare module 'bpmn-auto-layout' {
  export function layoutProcess(xml: string): Promise<string>;
}
