// Names the kit's exporters in JupyterLab's File > Save and Export Notebook As menu.
//
// JupyterLab 4 labels an export format with its entry-point name ("Pilotfunnel_pptx") and lists
// every exporter, the command-line names too ("pilotfunnel-pptx"), which its download route
// cannot serve (a format must match \w+). This plugin gives the routable ones the names their
// exporters declare (export_from_notebook) and leaves the command-line ones out.
import { ICommandPalette } from '@jupyterlab/apputils';
import { IMainMenu } from '@jupyterlab/mainmenu';
import { INotebookTracker } from '@jupyterlab/notebook';

const EXPORT_COMMAND = 'notebook:export-to-format';
const EXPORT_SUBMENU = 'jp-mainmenu-file-notebookexport';
// The same names as the exporters' export_from_notebook (tests/test_labextension.py checks).
export const LABELS = {
  pilotfunnel_html: 'Pilotfunnel brief (HTML)',
  pilotfunnel_pdf: 'Pilotfunnel brief (PDF)',
  pilotfunnel_pptx: 'Pilotfunnel deck (PowerPoint)'
};

function named(options) {
  const format = options && options.command === EXPORT_COMMAND && options.args?.format;
  if (!format || !format.startsWith('pilotfunnel')) {
    return options;
  }
  if (!(format in LABELS)) {
    return null; // a command-line name: the server's route would answer 404
  }
  return { ...options, args: { ...options.args, label: LABELS[format] } };
}

function renameAsAdded(target) {
  const addItem = target.addItem.bind(target);
  target.addItem = options => {
    const renamed = named(options);
    return renamed ? addItem(renamed) : null;
  };
}

function tidy(menu) {
  for (const item of [...menu.items]) {
    const renamed = named({ command: item.command, args: item.args });
    if (renamed && renamed.args === item.args) {
      continue;
    }
    const index = menu.items.indexOf(item);
    menu.removeItem(item);
    if (renamed) {
      menu.insertItem(index, renamed);
    }
  }
}

const plugin = {
  id: 'pilotfunnel-export-menu:plugin',
  description: "Names the pilotfunnel exporters in the export menu, as their exporters do.",
  autoStart: true,
  // Nothing required: Voila (the present mode) loads JupyterLab's extensions but has no main
  // menu, and a required token it cannot provide fails the page's plugin loading with "No
  // provider for IMainMenu". Without the menu there is nothing to name, so the plugin does nothing.
  requires: [],
  optional: [IMainMenu, INotebookTracker, ICommandPalette],
  activate: (app, mainMenu, notebooks, palette) => {
    if (!mainMenu || !notebooks) {
      return;
    }
    const submenu = () =>
      mainMenu.fileMenu.items.find(
        item => item.type === 'submenu' && item.submenu?.id === EXPORT_SUBMENU
      )?.submenu;
    const menu = submenu();
    if (menu) {
      renameAsAdded(menu);
      tidy(menu);
    }
    if (palette) {
      renameAsAdded(palette);
    }
    // Should the menu have been filled before this plugin started, tidy it once it has.
    notebooks.widgetAdded.connect(() => {
      const found = submenu();
      if (found) {
        setTimeout(() => tidy(found), 0);
      }
    });
  }
};

export default plugin;
