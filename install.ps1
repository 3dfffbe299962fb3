# Installs a released offercheck binary on Windows:
#   irm https://github.com/offercheck/offercheck/releases/latest/download/offercheck-installer.ps1 | iex
# It downloads the archive for this machine, refuses it unless its SHA-256
# matches the release's checksum file, and puts offercheck.exe in one folder.
#
# Settings, all optional, from the environment:
#   OFFERCHECK_VERSION       version to install, such as 0.1.0 (default: this installer's release)
#   OFFERCHECK_INSTALL_DIR   folder for the binary (default: %LOCALAPPDATA%\offercheck\bin)
#   OFFERCHECK_DOWNLOAD_URL  folder that holds the release's files (default: its GitHub release)
#   OFFERCHECK_TARGET        archive to take, such as x86_64-pc-windows-msvc (default: this machine's)
# The folder is added to the user's PATH (and, in GitHub Actions or Azure
# Pipelines, to the PATH of the job's next steps).

# One script block, so that under `irm | iex` none of its settings or names
# stay in the publisher's session.
& {
  $ErrorActionPreference = 'Stop'
  Set-StrictMode -Version 3

  $Repository = 'https://github.com/offercheck/offercheck'
  # The release workflow writes the version of the release here.
  $DefaultVersion = 'latest'

  # A throw, not exit: under `irm | iex`, exit would close the publisher's window.
  function Fail([string] $Message) {
    throw "offercheck installer: error: $Message"
  }

  $Version = if ($env:OFFERCHECK_VERSION) { $env:OFFERCHECK_VERSION.TrimStart('v') } else { $DefaultVersion }

  $Target = $env:OFFERCHECK_TARGET
  if (-not $Target) {
    # PROCESSOR_ARCHITEW6432 is set when this PowerShell itself runs emulated.
    $Processor = if ($env:PROCESSOR_ARCHITEW6432) { $env:PROCESSOR_ARCHITEW6432 } else { $env:PROCESSOR_ARCHITECTURE }
    $Target = switch ($Processor) {
      'AMD64' { 'x86_64-pc-windows-msvc' }
      'ARM64' { 'aarch64-pc-windows-msvc' }
      default { Fail "no offercheck release is built for $Processor processors; install it with: cargo install --locked offercheck" }
    }
  }
  $Archive = "offercheck-$Target.zip"

  if ($env:OFFERCHECK_DOWNLOAD_URL) {
    $Base = $env:OFFERCHECK_DOWNLOAD_URL.TrimEnd('/')
  } elseif ($Version -eq 'latest') {
    $Base = "$Repository/releases/latest/download"
  } else {
    $Base = "$Repository/releases/download/v$Version"
  }
  $InstallDir = if ($env:OFFERCHECK_INSTALL_DIR) { $env:OFFERCHECK_INSTALL_DIR } else { Join-Path $env:LOCALAPPDATA 'offercheck\bin' }

  $Work = Join-Path ([IO.Path]::GetTempPath()) ("offercheck-" + [Guid]::NewGuid())
  New-Item -ItemType Directory -Path $Work | Out-Null
  try {
    # Windows PowerShell 5.1 may still offer TLS 1.0 only.
    [Net.ServicePointManager]::SecurityProtocol = [Net.ServicePointManager]::SecurityProtocol -bor [Net.SecurityProtocolType]::Tls12
    $ProgressPreference = 'SilentlyContinue'
    Write-Host "offercheck installer: downloading $Base/$Archive"
    try {
      Invoke-WebRequest -UseBasicParsing -Uri "$Base/$Archive" -OutFile (Join-Path $Work $Archive)
      Invoke-WebRequest -UseBasicParsing -Uri "$Base/$Archive.sha256" -OutFile (Join-Path $Work "$Archive.sha256")
    } catch {
      Fail "could not download $Base/$Archive or its checksum: $($_.Exception.Message)"
    }

    $Expected = ((Get-Content -Raw (Join-Path $Work "$Archive.sha256")) -split '\s+')[0].ToLowerInvariant()
    if ($Expected -notmatch '^[0-9a-f]{64}$') { Fail "$Archive.sha256 holds no SHA-256 checksum" }
    $Actual = (Get-FileHash -Algorithm SHA256 -LiteralPath (Join-Path $Work $Archive)).Hash.ToLowerInvariant()
    if ($Expected -ne $Actual) {
      Fail "checksum mismatch for ${Archive}: the release says $Expected, the download is $Actual; nothing was installed"
    }

    $Unpacked = Join-Path $Work 'unpacked'
    Expand-Archive -LiteralPath (Join-Path $Work $Archive) -DestinationPath $Unpacked
    $Binary = Get-ChildItem -LiteralPath $Unpacked -Recurse -Filter 'offercheck.exe' | Select-Object -First 1
    if (-not $Binary) { Fail "$Archive holds no offercheck.exe" }

    New-Item -ItemType Directory -Force -Path $InstallDir | Out-Null
    Copy-Item -Force -LiteralPath $Binary.FullName -Destination (Join-Path $InstallDir 'offercheck.exe')
    $Installed = & (Join-Path $InstallDir 'offercheck.exe') --version
    Write-Host "offercheck installer: installed $Installed in $InstallDir"
  } finally {
    Remove-Item -Recurse -Force -LiteralPath $Work -ErrorAction SilentlyContinue
  }

  if ($env:GITHUB_PATH) {
    Add-Content -LiteralPath $env:GITHUB_PATH -Value $InstallDir
  } elseif ($env:TF_BUILD) {
    Write-Host "##vso[task.prependpath]$InstallDir"
  } else {
    $UserPath = [Environment]::GetEnvironmentVariable('Path', 'User')
    if (-not (($UserPath -split ';') -contains $InstallDir)) {
      $NewPath = if ($UserPath) { "$InstallDir;$UserPath" } else { $InstallDir }
      [Environment]::SetEnvironmentVariable('Path', $NewPath, 'User')
      Write-Host "offercheck installer: added $InstallDir to your PATH; open a new terminal to use offercheck"
    }
    if (-not (($env:Path -split ';') -contains $InstallDir)) { $env:Path = "$InstallDir;$env:Path" }
  }
}
