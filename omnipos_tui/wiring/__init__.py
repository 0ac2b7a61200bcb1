"""The parts of the composition root that ``omnipos_tui.bootstrap`` puts together: the
devices by settings (:mod:`.devices`), the SAF-T file writer (:mod:`.saft_file`) and the
build-on-first-use holder (:mod:`.lazy`). Like bootstrap, this package may import storage,
exports and drivers; nothing below it (core, services, storage, drivers) imports it."""
