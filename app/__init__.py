"""taizhang — 社区治理台账: an offline ledger for sub-district and community offices.

Qt is imported only under ``app.ui``; everything else runs headless.
"""

__version__ = "0.1.0"
APP_NAME = "社区治理台账"
#: Reverse-domain application id: the .deb's /opt/apps/<id>/, the .desktop file, the icons.
APP_ID = "org.taizhang.ledger"
