// The home page: links to every page, in the language chosen.
"use strict";
BP.init(async () => { document.body.dataset.ready = "1"; });
