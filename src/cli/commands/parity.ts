import { readFileSync } from 'node:fs';
import { statSync } from 'node:fs';
import { selectBackend } from '../../backend/select';
import { runParityCase, type ParityCase } from '../../losses/parity';
import type { Command } from '../command';
import { parseOptions } from '../parse-options';

const HELP = `Runs one ResCom step on a JSON case and prints one JSON object
{"cls_loss", "con_loss", "loss", "queue_after", "queue_ptr_after"}.

Options:
  --input <file>   the case (use - for stdin). Fields: features [2N][d] (L2-normalised, view 1 rows
                   then view 2), logits [2N][C], labels [2N], queue [C*K][d] (class c in rows
                   c*K..c*K+K-1), optional queue_ptr [C], class_counts [C], temperature, con_weight,
                   effective_num_beta, select_num_pos, select_num_neg.

The backend is chosen as everywhere else (RESCOM_BACKEND overrides).`;

export const parityCommand: Command = {
  name: 'parity',
  summary: 'check the ResCom loss and queue update on one JSON case (prints cls_loss, con_loss, loss, queue_after)',
  help: HELP,
  async run(args: string[]): Promise<number> {
    const { values } = parseOptions<{ input?: string }>('parity', args, { input: { type: 'string' } });
    if (!values.input) {
      console.error('rescom parity: --input <case.json> is required (see rescom parity --help)');
      return 2;
    }
    if (values.input !== '-') {
      const stat = statSync(values.input, { throwIfNoEntry: false });
      if (!stat?.isFile()) {
        console.error(
          `rescom parity: --input '${values.input}' ${stat ? 'is a folder' : 'does not exist'}; expected a JSON case file`,
        );
        return 2;
      }
    }
    const raw = readFileSync(values.input === '-' ? 0 : values.input, 'utf8');
    let input: ParityCase;
    try {
      input = JSON.parse(raw) as ParityCase;
    } catch (error) {
      console.error(
        `rescom parity: ${values.input} is not valid JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
      return 2;
    }
    await selectBackend({ log: null });
    const text = `${JSON.stringify(runParityCase(input))}\n`;
    // Wait until the write is handed to the OS: main.ts calls process.exit() right after, which would
    // cut a piped stdout at 64 KiB (seen with the C = 100 case).
    await new Promise<void>((resolve, reject) =>
      process.stdout.write(text, (error) => (error ? reject(error) : resolve())),
    );
    return 0;
  },
};
