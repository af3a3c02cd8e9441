/**
 * The demo page: wires the headless core, the training worker and the
 * widgets together. It orchestrates (load, train, evaluate, draw) and owns no
 * machine learning of its own: training and evaluation run in the worker,
 * metrics come from the core, every picture is a widget or a canvas.
 *
 * URL parameters preset the train panel (see `url-options.ts`), e.g.
 * `?train=2000&epochs=1&backend=wasm` for a quick run.
 */
import '../../widgets/index.js';
import { setupAdaptPanel } from './adapt-panel.js';
import { setupComparePanel } from './compare-backends.js';
import { DemoApp } from './demo-app.js';
import { setupDrawPanel } from './draw-panel.js';
import { setupKeepPanel } from './keep-panel.js';
import { ReportCard } from './report-card.js';
import { setupTrainPanel } from './train-panel.js';
import { TrainingSession } from './training-session.js';
import { readUrlOptions } from './url-options.js';

const app = new DemoApp(readUrlOptions());
const session = new TrainingSession(app.workerUrl, app.mnistUrl);
const report = new ReportCard();
const padModel = setupDrawPanel(app);
setupAdaptPanel(app, session, padModel);
setupTrainPanel(app, session, report);
setupComparePanel(app);
setupKeepPanel(app, session, report);
document.documentElement.dataset.ready = 'true';
