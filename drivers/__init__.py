"""Hardware drivers behind the device ports in ``omnipos_tui.core.ports``.

One subpackage per device: ``printer`` (ESC/POS rendering, transports, print queue),
``drawer``, ``terminal`` (Concert V2, manual, simulated, simulator server), ``scanner``
(evdev, simulated) and ``display`` (pole display). Each has a real implementation and a
simulated twin that pass the same contract tests. Drivers take plain constructor arguments;
``omnipos_tui/bootstrap.py`` builds them from the settings. Library exceptions never leave
this package: they become the ``DeviceError`` family of ``omnipos_tui.core.errors``.
"""
