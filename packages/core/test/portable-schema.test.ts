import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { portableSchema } from '../src/portable-schema.js';
import { connectInMemory } from '../src/testing/index.js';
import { testServer } from './fixtures/test-server.js';

describe('portable tool schemas', () => {
  it('splits a type array into anyOf branches, keeping each keyword with its type', () => {
    expect(
      portableSchema({
        type: 'object',
        properties: { n: { type: ['number', 'null'], minimum: 0, description: 'a count' } },
      }),
    ).toEqual({
      type: 'object',
      properties: { n: { description: 'a count', anyOf: [{ type: 'number', minimum: 0 }, { type: 'null' }] } },
    });
  });

  it('spells a free-form record as additionalProperties: true', () => {
    expect(portableSchema({ type: 'object', additionalProperties: {} })).toEqual({
      type: 'object',
      additionalProperties: true,
    });
  });

  it('spells a tuple so that a draft-07 validator accepts its values', async () => {
    const listed = portableSchema(
      z.toJSONSchema(z.object({ sample: z.tuple([z.number(), z.string()]) }), { io: 'output' }),
    ) as Record<string, unknown>;
    expect(JSON.stringify(listed)).not.toContain('prefixItems');
    // The validator the MCP SDK client checks structured results with.
    const { AjvJsonSchemaValidator } = await import('@modelcontextprotocol/sdk/validation/ajv');
    const validate = new AjvJsonSchemaValidator().getValidator(listed as never);
    expect(validate({ sample: [1733300000, '0.42'] }).valid).toBe(true);
    expect(validate({ sample: [1733300000] }).valid).toBe(false);
    expect(validate({ sample: [1, '2', 3] }).valid).toBe(false);
  });

  it('leaves no type array and no empty record schema in any listed tool', async () => {
    const conn = await connectInMemory(testServer, { settings: { allowWrite: true } });
    try {
      const { tools } = await conn.client.listTools();
      const text = JSON.stringify(tools);
      expect(text).not.toMatch(/"type":\[/);
      expect(text).not.toContain('"additionalProperties":{}');
    } finally {
      await conn.close();
    }
  });

  it('zod nullable and record schemas come out portable', () => {
    const json = z.toJSONSchema(z.object({ a: z.number().nullable(), b: z.record(z.string(), z.unknown()) }), {
      io: 'output',
    });
    const text = JSON.stringify(portableSchema(json));
    expect(text).not.toMatch(/"type":\[/);
    expect(text).not.toContain('"additionalProperties":{}');
  });
});
