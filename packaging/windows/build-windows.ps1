# Build the Windows installer of 社区治理台账 (run from the repository root in PowerShell):
#
#   powershell -ExecutionPolicy Bypass -File packaging\windows\build-windows.ps1 [-Sign]
#
# Needs: Windows 10 1809+/11 x64, Python 3.11 x64 (python.org, "py" launcher), Inno Setup 6
# (ISCC.exe on PATH or in its default folder), and for -Sign the Windows SDK's signtool.exe
# with the code-signing certificate in the user's certificate store.  See README.md here.
param([switch]$Sign, [string]$TimestampUrl = $env:TAIZHANG_TIMESTAMP_URL)
$ErrorActionPreference = "Stop"
$root = (Resolve-Path "$PSScriptRoot\..\..").Path
Set-Location $root
$version = (Select-String -Path app\__init__.py -Pattern '__version__ = "(.+?)"').Matches[0].Groups[1].Value
$parts = @($version.Split(".")) + @("0", "0", "0", "0")
$version4 = ($parts[0..3] -join ".")
$t0 = Get-Date
Write-Host "taizhang $version ($version4): Windows build"

# 1. A virtual environment with the program and PyInstaller (the same pins as on Linux).
if (-not (Test-Path build\venv-win\Scripts\python.exe)) { py -3.11 -m venv build\venv-win }
$py = "build\venv-win\Scripts\python.exe"
& $py -m pip install -q --upgrade pip
& $py -m pip install -q . "pyinstaller>=6.10,<7"
if ($LASTEXITCODE) { throw "pip install failed" }

# 2. The one-folder bundle: taizhang.exe (console) and taizhang-gui.exe (no console), no UPX.
& $py -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\taizhang.spec
if ($LASTEXITCODE) { throw "PyInstaller failed" }

# 3. The bundle's self-test (headless, temporary database, prints a roster).
& dist\taizhang\taizhang.exe --smoke-test "$env:TEMP\taizhang-smoke.pdf"
if ($LASTEXITCODE) { throw "smoke test failed" }

# 4. Sign the executables before they go into the installer.
$signCmd = $null
if ($Sign) {
  if (-not $TimestampUrl) { throw "set -TimestampUrl or TAIZHANG_TIMESTAMP_URL (your CA's RFC 3161 server)" }
  $signCmd = "signtool.exe sign /fd SHA256 /td SHA256 /tr $TimestampUrl /a"
  & cmd /c "$signCmd dist\taizhang\taizhang.exe dist\taizhang\taizhang-gui.exe"
  if ($LASTEXITCODE) { throw "signing the executables failed" }
}

# 5. The installer (Inno Setup signs it and its uninstaller with the same command).
$iscc = (Get-Command ISCC.exe -ErrorAction SilentlyContinue).Source
if (-not $iscc) { $iscc = "${env:ProgramFiles(x86)}\Inno Setup 6\ISCC.exe" }
$isccArgs = @("/DAppVersion=$version", "/DAppVersion4=$version4")
if ($signCmd) { $isccArgs += @("/DSignTool=tzsign", "/Stzsign=$signCmd `$f") }
& $iscc @isccArgs packaging\windows\taizhang.iss
if ($LASTEXITCODE) { throw "ISCC failed" }
Write-Host ("done in {0:N0} s: dist\taizhang-$version-setup.exe" -f ((Get-Date) - $t0).TotalSeconds)
