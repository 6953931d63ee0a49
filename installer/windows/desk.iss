; Inno Setup script: a per-machine installer for the one-folder bundle (dist\desk).
; Built by .github/workflows/windows.yml, or by hand on Windows after `pyinstaller`:
;   iscc /DAppVersion=0.1.0 installer\windows\desk.iss   ->  dist\desk-0.1.0-windows-x64-setup.exe
;
; Silent install for software distribution (an administrator's context, e.g. SCCM/Intune):
;   desk-0.1.0-windows-x64-setup.exe /VERYSILENT /SUPPRESSMSGBOXES /NORESTART [/CONFIG="\\server\share\desk.ini"] [/LOG="C:\Temp\desk-install.log"]
; /CONFIG copies a settings file to %PROGRAMDATA%\Rovaseutu\desk.ini, the machine-wide
; file the program reads before each user's own (see README); with it no user sees the
; first-run dialog. Silent uninstall:
;   "C:\Program Files\Rovaseutu Desk\unins000.exe" /VERYSILENT /SUPPRESSMSGBOXES /NORESTART

#ifndef AppVersion
  #define AppVersion "0.0.0"
#endif
#define AppName "Rovaseutu Desk"
#define AppExe "desk.exe"

[Setup]
; The AppId ties upgrades and the uninstall entry together: never change it.
AppId={{6F3C2A8E-5B1D-4C7A-9E2F-0D8B7A6C5E41}
AppName={#AppName}
AppVersion={#AppVersion}
AppVerName={#AppName} {#AppVersion}
AppPublisher=Rovaseutu
VersionInfoVersion={#AppVersion}
DefaultDirName={autopf}\{#AppName}
DefaultGroupName={#AppName}
DisableProgramGroupPage=yes
DisableDirPage=auto
; Per machine: Program Files, the common Start menu, one uninstall entry for all users.
PrivilegesRequired=admin
ArchitecturesAllowed=x64compatible
ArchitecturesInstallIn64BitMode=x64compatible
OutputDir=..\..\dist
OutputBaseFilename=desk-{#AppVersion}-windows-x64-setup
SetupIconFile=..\..\resources\icons\desk.ico
UninstallDisplayIcon={app}\{#AppExe}
UninstallDisplayName={#AppName}
Compression=lzma2/max
SolidCompression=yes
WizardStyle=modern
; A running copy is closed for the upgrade (silently too) and not restarted.
CloseApplications=yes
RestartApplications=no

[Languages]
Name: "fi"; MessagesFile: "compiler:Languages\Finnish.isl"
Name: "en"; MessagesFile: "compiler:Default.isl"

[Tasks]
Name: "desktopicon"; Description: "{cm:CreateDesktopIcon}"; GroupDescription: "{cm:AdditionalIcons}"; Flags: unchecked

[InstallDelete]
; An upgrade replaces the bundle whole: no library of the previous version stays behind.
Type: filesandordirs; Name: "{app}\_internal"

[Files]
Source: "..\..\dist\desk\*"; DestDir: "{app}"; Flags: ignoreversion recursesubdirs createallsubdirs

[Icons]
Name: "{autoprograms}\{#AppName}"; Filename: "{app}\{#AppExe}"
Name: "{autodesktop}\{#AppName}"; Filename: "{app}\{#AppExe}"; Tasks: desktopicon

[Run]
Filename: "{app}\{#AppExe}"; Description: "{cm:LaunchProgram,{#AppName}}"; Flags: nowait postinstall skipifsilent

; The uninstaller removes the program only: the deployed settings file and each user's
; local database (%LOCALAPPDATA%\Rovaniemi\Rovaseutu) hold the workstation's data.

[Code]
function DeployedConfig(): String;
begin
  Result := ExpandConstant('{param:CONFIG|}');
end;

function InitializeSetup(): Boolean;
begin
  Result := True;
  if (DeployedConfig() <> '') and not FileExists(DeployedConfig()) then
  begin
    Log('settings file not found: ' + DeployedConfig());
    SuppressibleMsgBox('The settings file ' + DeployedConfig() + ' was not found.',
                       mbCriticalError, MB_OK, IDOK);
    Result := False;
  end;
end;

procedure CurStepChanged(CurStep: TSetupStep);
var
  Target: String;
begin
  if (CurStep = ssPostInstall) and (DeployedConfig() <> '') then
  begin
    Target := ExpandConstant('{commonappdata}\Rovaseutu\desk.ini');
    ForceDirectories(ExtractFileDir(Target));
    if FileCopy(DeployedConfig(), Target, False) then
      Log('settings copied to ' + Target)
    else
      RaiseException('could not copy the settings file to ' + Target);
  end;
end;
