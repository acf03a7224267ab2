@echo off
rem Runs the backprop command line on Windows, as ./backprop does elsewhere: builds it first when
rem the jar is missing or older than the sources, records a class-data-sharing archive once per
rem build, and starts a one-shot command (a formula at a point, toy, help) on C1 alone and without
rem the Vector API module. Differences from ./backprop: java's one-line "Using incubator modules"
rem warning is not filtered out of stderr (cmd cannot filter one stream and keep the other), and
rem the file dates are compared by PowerShell, which costs a few tenths of a second per run.
setlocal EnableExtensions EnableDelayedExpansion
set "here=%~dp0"
if "%here:~-1%"=="\" set "here=%here:~0,-1%"
set "jar=%here%\cli\target\backprop.jar"
set "cds=%here%\cli\target\backprop.jsa"

rem `serve` runs the explorer from the web module's jar (its libraries beside it in web\target\lib),
rem built when missing; after changing the sources, build it again (mvn -pl web -am package).
rem The jar skips the leading "serve" itself.
if /i "%~1"=="serve" (
  if not exist "%here%\web\target\backprop-web.jar" (
    where mvn >nul 2>nul || (echo backprop: Maven ^(mvn^) is needed to build; install it and retry 1>&2 & exit /b 2)
    echo backprop: building the explorer ^(first run^)... 1>&2
    pushd "%here%"
    call mvn -B -Dstyle.color=never -Dmaven.test.skip=true -pl web -am package > "%TEMP%\backprop-web-build.log" 2>&1
    set "rc=!errorlevel!"
    popd
    if not "!rc!"=="0" (
      findstr /r "ERROR BUILD" "%TEMP%\backprop-web-build.log" 1>&2
      echo backprop: the build failed ^(full log: %TEMP%\backprop-web-build.log^) 1>&2
      exit /b 2
    )
  )
  java %BACKPROP_JAVA_OPTS% -jar "%here%\web\target\backprop-web.jar" %*
  exit /b !errorlevel!
)

rem PowerShell prints "stale" if a pom or a source is newer than the jar, "cds-old" if the archive
rem is missing or not newer than the jar, and "failed-old" if a failed recording is older than the
rem jar (worth trying again).
set "stale=1"
set "cdsold=1"
set "failedold=1"
if exist "%jar%" (
  set "stale=0"
  set "cdsold=0"
  set "failedold=0"
  for /f "delims=" %%N in ('powershell -NoProfile -NonInteractive -Command "$j = (Get-Item -LiteralPath $env:jar).LastWriteTimeUtc; $f = @(); foreach ($p in 'pom.xml','core\pom.xml','cli\pom.xml') { $q = Join-Path $env:here $p; if (Test-Path -LiteralPath $q) { $f += Get-Item -LiteralPath $q } }; foreach ($d in 'core\src\main','cli\src\main') { $q = Join-Path $env:here $d; if (Test-Path -LiteralPath $q) { $f += Get-ChildItem -LiteralPath $q -Recurse -File } }; if ($f | Where-Object { $_.LastWriteTimeUtc -gt $j } | Select-Object -First 1) { 'stale' }; $c = Get-Item -LiteralPath $env:cds -ErrorAction SilentlyContinue; if (-not $c -or $c.LastWriteTimeUtc -le $j) { 'cds-old' }; $m = Get-Item -LiteralPath ($env:cds + '.failed') -ErrorAction SilentlyContinue; if ($m -and $m.LastWriteTimeUtc -le $j) { 'failed-old' }"') do (
    if "%%N"=="stale" set "stale=1"
    if "%%N"=="cds-old" set "cdsold=1"
    if "%%N"=="failed-old" set "failedold=1"
  )
)

if "%stale%"=="1" (
  where mvn >nul 2>nul || (echo backprop: Maven ^(mvn^) is needed to build; install it and retry 1>&2 & exit /b 2)
  echo backprop: building the command line ^(first run, or sources changed^)... 1>&2
  set "log=%TEMP%\backprop-build-%RANDOM%.log"
  pushd "%here%"
  call mvn -B -Dstyle.color=never -Dmaven.test.skip=true -pl cli -am package > "!log!" 2>&1
  set "rc=!errorlevel!"
  popd
  if not "!rc!"=="0" (
    findstr /r "ERROR BUILD" "!log!" 1>&2
    echo backprop: the build failed ^(full log: !log!^) 1>&2
    exit /b 2
  )
  del "!log!" >nul 2>nul
  set "cdsold=1"
)

rem The archive (static: see ./backprop) is recorded after each build, written aside and renamed
rem (whole or absent), and used while newer than the jar and of its recorded size (a damaged one
rem is recorded again). A failed recording is not retried until the jar changes.
rem BACKPROP_CDS=0 turns this off.
set "cdsopts="
if not "%BACKPROP_CDS%"=="0" (
  if "!cdsold!"=="1" del /f "%cds%" "%cds%.size" >nul 2>nul
  if "!failedold!"=="1" del /f "%cds%.failed" >nul 2>nul
  set "want="
  if exist "%cds%.size" set /p want=<"%cds%.size"
  set "have="
  if exist "%cds%" for %%F in ("%cds%") do set "have=%%~zF"
  if defined want if "!want!"=="!have!" set "cdsopts=-XX:SharedArchiveFile=%cds% -Xlog:cds*=off"
  if not defined cdsopts if not exist "%cds%.failed" (
    set "tmp=%cds%.tmp-!RANDOM!"
    java -XX:DumpLoadedClassList="!tmp!.classes" -Xlog:cds*=off -XX:TieredStopAtLevel=1 -cp "%jar%" dev.backprop.cli.CdsTraining <nul >nul 2>nul
    if exist "!tmp!.classes" java -Xshare:dump -XX:SharedClassListFile="!tmp!.classes" -XX:SharedArchiveFile="!tmp!" -Xlog:cds*=off -cp "%jar%" <nul >nul 2>nul
    del /f "!tmp!.classes" >nul 2>nul
    if exist "!tmp!" (
      for %%F in ("!tmp!") do set "size=%%~zF"
      del /f "%cds%" >nul 2>nul
      move /y "!tmp!" "%cds%" >nul && (echo !size!)>"%cds%.size" && set "cdsopts=-XX:SharedArchiveFile=%cds% -Xlog:cds*=off"
    ) else (
      type nul > "%cds%.failed"
    )
  )
)

rem One-shot commands: C1 only and no Vector API module (see ./backprop); --data, @FILE or -
rem (a formula that may be huge) take the normal path. The arguments are read one by one with
rem shift, in a subroutine, so that * and ? in a formula are never taken for file patterns.
set "jvm=--add-modules jdk.incubator.vector"
set "quick=0"
set "first=%~1"
if "%first%"=="" set "quick=1"
for %%C in (grad trace check diff toy help --help -h --version -V) do if /i "%first%"=="%%C" set "quick=1"
if "%quick%"=="1" (
  set "jvm=-XX:TieredStopAtLevel=1"
  call :scan %*
)

rem No delayed expansion from here: it would eat the '!' of an argument.
setlocal DisableDelayedExpansion
java %jvm% %cdsopts% %BACKPROP_JAVA_OPTS% -jar "%jar%" %*
exit /b %errorlevel%

:scan
if "%~1"=="" exit /b 0
set "a=%~1"
if "!a!"=="--data" set "jvm=--add-modules jdk.incubator.vector"
if "!a:~0,7!"=="--data=" set "jvm=--add-modules jdk.incubator.vector"
if "!a:~0,1!"=="@" set "jvm=--add-modules jdk.incubator.vector"
if "!a!"=="-" set "jvm=--add-modules jdk.incubator.vector"
shift
goto scan
