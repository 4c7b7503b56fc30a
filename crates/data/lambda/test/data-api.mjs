// An RDS Data API stand-in that runs each command on a real PostgreSQL through a pg pool: without a
// transaction any pooled connection may serve a statement (no session state survives, as with the
// real service); BeginTransaction pins one connection until Commit/RollbackTransaction. Named
// parameters (:name, typed values) become $n placeholders. Errors come back the way the Data API
// reports them: a DatabaseErrorException carrying the PostgreSQL message, no SQLSTATE.
import assert from 'node:assert/strict';
import {
  BeginTransactionCommand, CommitTransactionCommand, ExecuteStatementCommand, RollbackTransactionCommand,
} from '@aws-sdk/client-rds-data';

function bind(sql, parameters) {
  if (!parameters) return { text: sql, values: [] };
  const names = parameters.map((p) => p.name);
  const values = parameters.map(({ value }) => {
    assert.equal(Object.keys(value).length, 1, 'one typed value per parameter');
    const [[type, v]] = Object.entries(value);
    assert.ok(['stringValue', 'longValue', 'doubleValue', 'booleanValue', 'isNull'].includes(type), `unsupported ${type}`);
    return type === 'isNull' ? null : v;
  });
  const text = sql.replace(/(?<![:\w]):([A-Za-z_]\w*)/g, (_, name) => {
    const i = names.indexOf(name);
    assert.ok(i >= 0, `statement uses :${name} but no such parameter was sent`);
    return `$${i + 1}`;
  });
  return { text, values };
}

const field = (v) => (v === null ? { isNull: true }
  : typeof v === 'boolean' ? { booleanValue: v }
    : Number.isInteger(v) ? { longValue: v } : { stringValue: String(v) });

export function fakeDataApi(pool, { clusterArn, secretArn, database }) {
  const transactions = new Map();
  let nextId = 1;
  const dataApiError = (err) => {
    const e = new Error(`ERROR: ${err.message}`);
    e.name = 'DatabaseErrorException';
    return e;
  };
  return {
    calls: [], // the SQL of every ExecuteStatement, in order
    inputs: [], // every command's input, in order
    failNext: [], // errors to throw instead of running the next ExecuteStatement
    async send(command) {
      const input = command.input;
      this.inputs.push({ command: command.constructor.name, ...input });
      assert.equal(input.resourceArn, clusterArn);
      assert.equal(input.secretArn, secretArn);
      if (command instanceof BeginTransactionCommand) {
        assert.equal(input.database, database);
        const client = await pool.connect();
        await client.query('BEGIN');
        const transactionId = `tx-${nextId++}`;
        transactions.set(transactionId, client);
        return { transactionId };
      }
      if (command instanceof CommitTransactionCommand || command instanceof RollbackTransactionCommand) {
        const client = transactions.get(input.transactionId);
        assert.ok(client, `unknown transaction ${input.transactionId}`);
        transactions.delete(input.transactionId);
        try {
          await client.query(command instanceof CommitTransactionCommand ? 'COMMIT' : 'ROLLBACK');
        } catch (err) {
          throw dataApiError(err);
        } finally {
          client.release();
        }
        return { transactionStatus: command instanceof CommitTransactionCommand ? 'Transaction Committed' : 'Rollback Complete' };
      }
      assert.ok(command instanceof ExecuteStatementCommand, `unexpected ${command.constructor.name}`);
      assert.equal(input.database, database);
      this.calls.push(input.sql);
      const injected = this.failNext.shift();
      if (injected) throw injected;
      const { text, values } = bind(input.sql, input.parameters);
      const runner = input.transactionId === undefined ? pool : transactions.get(input.transactionId);
      assert.ok(runner, `unknown transaction ${input.transactionId}`);
      let result;
      try {
        result = await runner.query(text, values);
      } catch (err) {
        throw dataApiError(err);
      }
      const rows = result.rows ?? [];
      return {
        numberOfRecordsUpdated: result.command === 'SELECT' ? 0 : (result.rowCount ?? 0),
        records: rows.map((r) => Object.values(r).map(field)),
      };
    },
    // Open transactions (a test asserts none is left behind).
    get openTransactions() {
      return transactions.size;
    },
  };
}
