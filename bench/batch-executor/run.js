'use strict';
// One task on its own: exactly @specthis/nx:run.
module.exports = require('@specthis/nx/dist/executors/run/executor').default;
