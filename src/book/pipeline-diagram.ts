/**
 * The ResCom pipeline as an inline SVG for the book's contents page (no script, no image file): one
 * image, two augmented views, the shared encoder, the classifier with Siamese Balanced Softmax, the
 * projection head, the class-balanced queue (view 1 enqueued after the step), hard pair mining and
 * the class-weighted SupCon loss; L = L_cls + λ L_con. Chapter numbers say where each part is built.
 */
interface Box {
  x: number;
  y: number;
  w: number;
  text: string[];
  kind?: 'loss' | 'data' | 'memory';
}

const BOXES: Box[] = [
  { x: 10, y: 95, w: 92, text: ['image x, label y', 'long-tailed set', '(ch. 01-02)'], kind: 'data' },
  { x: 130, y: 40, w: 96, text: ['view 1', 'augment(x)'], kind: 'data' },
  { x: 130, y: 150, w: 96, text: ['view 2', 'augment(x)'], kind: 'data' },
  { x: 256, y: 95, w: 108, text: ['encoder f(·)', 'ResNet, shared', 'by both views'] },
  { x: 398, y: 22, w: 116, text: ['classifier W f', 'logits [2N, C]'] },
  { x: 398, y: 168, w: 116, text: ['projection head', 'z = MLP(f) / ‖·‖', '[2N, d]'] },
  { x: 548, y: 22, w: 150, text: ['Siamese Balanced', 'Softmax: L_cls', 'z + log π (ch. 03)'], kind: 'loss' },
  { x: 548, y: 122, w: 150, text: ['class-balanced queue', 'K keys per class', '(ch. 05)'], kind: 'memory' },
  { x: 548, y: 222, w: 150, text: ['hard pair mining', 'Q_p positives, Q_n', 'negatives (ch. 06)'] },
  { x: 730, y: 172, w: 132, text: ['weighted SupCon', 'L_con, weights w_c', '(ch. 04)'], kind: 'loss' },
  { x: 730, y: 40, w: 132, text: ['L = L_cls + λ L_con', 'SGD step (ch. 07)', 'by hand: ch. 10'], kind: 'loss' },
];

const FILL = { loss: '#fde7e9', data: '#eef6ff', memory: '#fff5d6', undefined: '#f3f4f6' } as const;

function box(b: Box): string {
  const h = 18 + 15 * b.text.length;
  const lines = b.text
    .map((t, i) => `<text x="${b.x + b.w / 2}" y="${b.y + 20 + 15 * i}" text-anchor="middle"${i === 0 ? ' font-weight="600"' : ''}>${t.replace(/&/g, '&amp;').replace(/</g, '&lt;')}</text>`)
    .join('');
  return `<rect x="${b.x}" y="${b.y}" width="${b.w}" height="${h}" rx="6" fill="${FILL[String(b.kind) as keyof typeof FILL]}" stroke="#57606a"/>${lines}`;
}

function arrow(x1: number, y1: number, x2: number, y2: number, label = '', dashed = false): string {
  const mid = label ? `<text x="${(x1 + x2) / 2}" y="${(y1 + y2) / 2 - 4}" text-anchor="middle" class="edge">${label}</text>` : '';
  return `<line x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}" stroke="#57606a" marker-end="url(#arrow)"${dashed ? ' stroke-dasharray="4 3"' : ''}/>${mid}`;
}

/** The diagram (an <svg> element with a title for screen readers). */
export function pipelineDiagram(): string {
  const edges = [
    arrow(102, 115, 130, 65),
    arrow(102, 125, 130, 170),
    arrow(226, 65, 256, 115),
    arrow(226, 175, 256, 130),
    arrow(364, 110, 398, 50),
    arrow(364, 130, 398, 190),
    arrow(514, 47, 548, 47),
    arrow(514, 200, 730, 200, 'anchors: both views'),
    arrow(514, 185, 548, 150, 'view 1, after the step', true),
    arrow(623, 175, 623, 222, 'keys'),
    arrow(698, 245, 730, 215, 'mined keys'),
    arrow(698, 50, 730, 65),
    arrow(796, 172, 796, 103),
  ].join('');
  return [
    '<svg class="pipeline" viewBox="0 0 870 290" role="img" aria-labelledby="pipeline-title" xmlns="http://www.w3.org/2000/svg" font-family="system-ui, sans-serif" font-size="12">',
    '<title id="pipeline-title">The ResCom pipeline: two views of each image pass through one encoder; a classifier trained with Siamese Balanced Softmax and a projection head whose outputs meet a class-balanced queue, hard pair mining and a class-weighted supervised contrastive loss; the total loss is L_cls plus lambda L_con.</title>',
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="#57606a"/></marker></defs>',
    '<style>.edge { font-size: 10px; fill: #57606a; }</style>',
    BOXES.map(box).join(''),
    edges,
    '</svg>',
  ].join('');
}
