import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { EngineError } from '../../src/engine/errors.ts';
import { FIRST_KEY } from '../../src/engine/keys.ts';
import { deploy, fixture, openEngine, type TestEngine } from './helpers.ts';

describe('deploy', () => {
  let t: TestEngine;
  beforeEach(async () => {
    t = await openEngine();
  });
  afterEach(() => t.close());

  test('issues Zeebe keys on partition 1 and version 1 for a new process', async () => {
    // when
    const result = await deploy(t.engine, 'service-task.bpmn');
    // then
    expect(result.deploymentKey).toBe(String(FIRST_KEY));
    expect(result.deploymentKey).toBe('2251799813685249');
    const def = result.deployments[0] as {
      processDefinition: { processDefinitionId: string; processDefinitionVersion: number };
    };
    expect(def.processDefinition).toMatchObject({
      processDefinitionId: 'service-task',
      processDefinitionVersion: 1,
    });
  });

  test('identical XML keeps the version, changed XML gets the next one, running instances keep theirs', async () => {
    // given
    const first = await deploy(t.engine, 'service-task.bpmn');
    const firstKey = (first.deployments[0] as { processDefinition: { processDefinitionKey: string } })
      .processDefinition.processDefinitionKey;
    const pi = t.engine.createProcessInstance({ processDefinitionId: 'service-task' });
    // when
    const same = await deploy(t.engine, 'service-task.bpmn');
    const changed = fixture('service-task.bpmn');
    changed.content = changed.content.replace('name="Do it"', 'name="Do it now"');
    const next = await t.engine.deploy([changed]);
    // then
    expect(same.deployments[0]).toMatchObject({
      processDefinition: { processDefinitionVersion: 1, processDefinitionKey: firstKey },
    });
    expect(next.deployments[0]).toMatchObject({ processDefinition: { processDefinitionVersion: 2 } });
    expect(t.engine.getProcessInstance(pi.processInstanceKey).processDefinitionVersion).toBe(1);
    expect(
      t.engine.createProcessInstance({ processDefinitionId: 'service-task' }).processDefinitionVersion,
    ).toBe(2);
  });

  test('refuses an unsupported element, naming it and where it is', async () => {
    await expect(deploy(t.engine, 'invalid-unsupported-element.bpmn')).rejects.toThrow(
      /'Gateway_Complex' \(bpmn:ComplexGateway\) in process 'invalid-unsupported'.*not supported/,
    );
  });

  test('refuses bad FEEL syntax with the expression and its place', async () => {
    await expect(deploy(t.engine, 'invalid-feel-syntax.bpmn')).rejects.toThrow(
      /'f1'.*invalid FEEL expression '=amount >> \('/,
    );
  });

  test('refuses invalid XML', async () => {
    const error = await deploy(t.engine, 'invalid-xml.bpmn').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EngineError);
    expect((error as EngineError).message).toMatch(/invalid-xml.bpmn.*not a valid BPMN XML document/);
  });

  test('nothing is half-deployed when one resource of a deployment is refused', async () => {
    // when
    await expect(deploy(t.engine, 'service-task.bpmn', 'invalid-feel-syntax.bpmn')).rejects.toThrow();
    // then
    expect(t.engine.searchProcessDefinitions().items).toHaveLength(0);
  });

  test('deploys DMN decisions and forms with versions', async () => {
    // when
    const result = await deploy(t.engine, 'requirements.dmn', 'review-form.form');
    const again = await deploy(t.engine, 'review-form.form');
    // then
    expect(result.deployments).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          decisionDefinition: expect.objectContaining({ decisionDefinitionId: 'requirements', version: 1 }),
        }),
        expect.objectContaining({ form: expect.objectContaining({ formId: 'review-form', version: 1 }) }),
      ]),
    );
    expect(again.deployments[0]).toMatchObject({ form: { formId: 'review-form', version: 1 } });
    expect(t.engine.searchDecisionDefinitions().items[0]?.decisionDefinitionId).toBe('requirements');
  });
});
