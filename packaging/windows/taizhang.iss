; Inno Setup 6 script: per-user installer of 社区治理台账 for Windows 10 1809+ / 11 (x64).
;
;   iscc /DAppVersion=0.1.0 packaging\windows\taizhang.iss
;
; Installs the PyInstaller bundle (dist\taizhang, built by packaging\taizhang.spec exactly as
; on Linux) into %LOCALAPPDATA%\Programs\taizhang without administrator rights, with a
; Start-menu shortcut (and an optional desktop one) to taizhang-gui.exe and an uninstaller.
; The user's data (%LOCALAPPDATA%\taizhang: taizhang.db, logs\) is never touched by install,
; upgrade or uninstall.  How to build and sign: packaging\windows\README.md.

#define AppId "org.taizhang.ledger"
#define AppName "社区治理台账"
#ifndef AppVersion
  #error Pass the version: iscc /DAppVersion=0.1.0 taizhang.iss (app\__init__.py __version__)
#endif
; Four numbers for the version resource: 0.1.0 → 0.1.0.0
#ifndef AppVersion4
  #define AppVersion4 AppVersion + Copy(".0.0.0", 1, 2 * (3 - (Len(AppVersion) - Len(StringChange(AppVersion, ".", "")))))
#endif
#ifndef BundleDir
  #define BundleDir "..\..\dist\taizhang"
#endif
#ifndef OutputDir
  #define OutputDir "..\..\dist"
#endif

[Setup]
AppId={#AppId}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=taizhang
VersionInfoVersion={#AppVersion4}
VersionInfoProductName={#AppName}
VersionInfoProductVersion={#AppVersion4}
VersionInfoDescription={#AppName} 安装程序
VersionInfoCopyright=MIT License
; Per user, no administrator rights: {autopf} is %LOCALAPPDATA%\Programs here.
PrivilegesRequired=lowest
DefaultDirName={autopf}\taizhang
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
UsePreviousAppDir=yes
; Qt 6 runs on Windows 10 1809 (build 17763) and later, 64-bit only.
MinVersion=10.0.17763
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir={#OutputDir}
OutputBaseFilename=taizhang-{#AppVersion}-setup
SetupIconFile=..\..\resources\icons\taizhang.ico
UninstallDisplayIcon={app}\taizhang-gui.exe
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
ShowLanguageDialog=no
; The program must not be running while its files are replaced.
CloseApplications=yes
#ifdef SignTool
; iscc /DSignTool=mysign "/Smysign=signtool.exe sign /fd SHA256 /tr <timestamp URL> /td SHA256 /a $f"
SignTool={#SignTool}
SignedUninstaller=yes
#endif

[Languages]
#if FileExists(AddBackslash(CompilerPath) + "Languages\ChineseSimplified.isl")
Name: "chinesesimplified"; MessagesFile: "compiler:Languages\ChineseSimplified.isl"
#else
  #pragma warning "Languages\ChineseSimplified.isl is not in this Inno Setup: the wizard will be in English (see README.md)"
Name: "english"; MessagesFile: "compiler:Default.isl"
#endif

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle whole (no stale Qt or Python files from the old version).
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "{#BundleDir}\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\taizhang-gui.exe"; WorkingDir: "{userdocs}"; Comment: "街道、社区基层治理台账"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\taizhang-gui.exe"; WorkingDir: "{userdocs}"; Tasks: desktopicon

[Run]
Filename: "{app}\taizhang-gui.exe"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; No [UninstallDelete]: uninstalling removes only what was installed under {app}; the
; database and logs in %LOCALAPPDATA%\taizhang stay.
