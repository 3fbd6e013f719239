<?xml version="1.0" encoding="utf-8"?>
<!-- SPDX-License-Identifier: GPL-3.0-or-later -->
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
    <context>
        <name>MainWindow</name>
        <message>
            <source>Tidewatch</source>
            <translation>Tidewatch</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>Übersicht</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Prozesse</translation>
        </message>
        <message>
            <source>Filter by name…</source>
            <translation>Nach Name filtern …</translation>
        </message>
        <message>
            <source>The busiest processes by CPU and by memory, from the latest sample.</source>
            <translation>Die Prozesse mit der höchsten CPU- und Speicherlast aus der letzten Messung.</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>&amp;Datei</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>&amp;Ansicht</translation>
        </message>
        <message>
            <source>F&amp;eed</source>
            <translation>&amp;Feed</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>&amp;Hilfe</translation>
        </message>
        <message>
            <source>Main Toolbar</source>
            <translation>Hauptwerkzeugleiste</translation>
        </message>
        <message>
            <source>Open &amp;Dashboard in Browser</source>
            <translation>&amp;Dashboard im Browser öffnen</translation>
        </message>
        <message>
            <source>Open the live dashboard in the default web browser</source>
            <translation>Das Live-Dashboard im Standardbrowser öffnen</translation>
        </message>
        <message>
            <source>Ctrl+D</source>
            <translation>Ctrl+D</translation>
        </message>
        <message>
            <source>&amp;Copy Feed URL</source>
            <translation>Feed-Adresse &amp;kopieren</translation>
        </message>
        <message>
            <source>Copy the feed's address to the clipboard</source>
            <translation>Die Adresse des Feeds in die Zwischenablage kopieren</translation>
        </message>
        <message>
            <source>Ctrl+Shift+C</source>
            <translation>Ctrl+Shift+C</translation>
        </message>
        <message>
            <source>Show &amp;QR Code…</source>
            <translation>&amp;QR-Code anzeigen …</translation>
        </message>
        <message>
            <source>Show the feed's address as a QR code for a phone</source>
            <translation>Die Adresse des Feeds als QR-Code für ein Telefon anzeigen</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>Freeze the charts; sampling and the feed go on</source>
            <translation>Diagramme anhalten; Messung und Feed laufen weiter</translation>
        </message>
        <message>
            <source>Space</source>
            <translation>Space</translation>
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation>&amp;Einstellungen …</translation>
        </message>
        <message>
            <source>Feed, sampling, theme and language</source>
            <translation>Feed, Messung, Farbschema und Sprache</translation>
        </message>
        <message>
            <source>Ctrl+,</source>
            <translation>Ctrl+,</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>&amp;Beenden</translation>
        </message>
        <message>
            <source>Quit Tidewatch and stop the feed</source>
            <translation>Tidewatch beenden und den Feed stoppen</translation>
        </message>
        <message>
            <source>Ctrl+Q</source>
            <translation>Ctrl+Q</translation>
        </message>
        <message>
            <source>&amp;About Tidewatch</source>
            <translation>&amp;Über Tidewatch</translation>
        </message>
        <message>
            <source>&amp;Export Visible Range as CSV…</source>
            <translation>&amp;Sichtbaren Bereich als CSV exportieren …</translation>
        </message>
        <message>
            <source>Save what the charts show now as a CSV file</source>
            <translation>Das, was die Diagramme gerade zeigen, als CSV-Datei speichern</translation>
        </message>
        <message>
            <source>Ctrl+E</source>
            <translation>Ctrl+E</translation>
        </message>
        <message>
            <source>&amp;Reset Zoom</source>
            <translation>Zoom &amp;zurücksetzen</translation>
        </message>
        <message>
            <source>Show the whole time window again (Esc, or double-click a chart)</source>
            <translation>Wieder das ganze Zeitfenster zeigen (Esc oder Doppelklick in ein Diagramm)</translation>
        </message>
        <message>
            <source>Esc</source>
            <translation>Esc</translation>
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation>Einstellungen</translation>
        </message>
        <message>
            <source>Browser feed</source>
            <translation>Browser-Feed</translation>
        </message>
        <message>
            <source>Serve the dashboard and the live feed to browsers</source>
            <translation>Dashboard und Live-Feed für Browser bereitstellen</translation>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation>&amp;Adresse:</translation>
        </message>
        <message>
            <source>127.0.0.1</source>
            <translation>127.0.0.1</translation>
        </message>
        <message>
            <source>127.0.0.1 keeps the feed on this computer; 0.0.0.0 opens it to the network.</source>
            <translation>127.0.0.1 hält den Feed auf diesem Rechner; 0.0.0.0 öffnet ihn für das Netzwerk.</translation>
        </message>
        <message>
            <source>&amp;Port:</source>
            <translation>&amp;Port:</translation>
        </message>
        <message>
            <source>8765</source>
            <translation>8765</translation>
        </message>
        <message>
            <source>0 picks any free port.</source>
            <translation>0 wählt einen beliebigen freien Port.</translation>
        </message>
        <message>
            <source>Sampling</source>
            <translation>Messung</translation>
        </message>
        <message>
            <source>Sample &amp;every:</source>
            <translation>Messen &amp;alle:</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> ms</translation>
        </message>
        <message>
            <source>Appearance</source>
            <translation>Darstellung</translation>
        </message>
        <message>
            <source>&amp;Theme:</source>
            <translation>&amp;Farbschema:</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>&amp;Sprache:</translation>
        </message>
        <message>
            <source>A new language applies the next time Tidewatch starts.</source>
            <translation>Eine neue Sprache gilt ab dem nächsten Start von Tidewatch.</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>Fenster</translation>
        </message>
        <message>
            <source>Start &amp;minimized</source>
            <translation>&amp;Minimiert starten</translation>
        </message>
        <message>
            <source>&amp;Closing the window keeps Tidewatch running in the system tray</source>
            <translation>Beim &amp;Schließen des Fensters läuft Tidewatch im Systemabschnitt der Kontrollleiste weiter</translation>
        </message>
        <message>
            <source>Ask for the access token on this computer too</source>
            <translation>Zugangstoken auch auf diesem Rechner verlangen</translation>
        </message>
        <message>
            <source>For a computer that others use too: browsers here must sign in as well.</source>
            <translation>Für einen Rechner, den auch andere nutzen: Auch Browser auf diesem Rechner müssen sich anmelden.</translation>
        </message>
        <message>
            <source>Access to&amp;ken:</source>
            <translation>Zugangs&amp;token:</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Anzeigen</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>Kopieren</translation>
        </message>
        <message>
            <source>Copy the token to the clipboard</source>
            <translation>Das Token in die Zwischenablage kopieren</translation>
        </message>
        <message>
            <source>Regenerate…</source>
            <translation>Neu erzeugen …</translation>
        </message>
        <message>
            <source>Other devices sign in with this token, or simply by scanning the QR code.</source>
            <translation>Andere Geräte melden sich mit diesem Token an – oder einfach per QR-Code.</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Tidewatch: a live view of this machine, and the same samples served to browsers on one port.</source>
            <translation>Tidewatch: eine Live-Ansicht dieses Rechners, und dieselben Messwerte für Browser auf einem Port.</translation>
        </message>
        <message>
            <source>Do not serve the feed.</source>
            <translation>Keinen Feed bereitstellen.</translation>
        </message>
        <message>
            <source>Use the language &lt;code&gt; (en, de, fr, es, zh_CN).</source>
            <translation>Die Sprache &lt;code&gt; verwenden (en, de, fr, es, zh_CN).</translation>
        </message>
        <message>
            <source>code</source>
            <translation>code</translation>
        </message>
        <message>
            <source>Start minimized (to the tray if any).</source>
            <translation>Minimiert starten (in die Kontrollleiste, falls vorhanden).</translation>
        </message>
        <message>
            <source>Render the main window to the PNG &lt;file&gt; and exit.</source>
            <translation>Das Hauptfenster als PNG in &lt;file&gt; speichern und beenden.</translation>
        </message>
        <message>
            <source>file</source>
            <translation>file</translation>
        </message>
        <message>
            <source>With --screenshot: wait &lt;ms&gt; after the first paint (default 1500).</source>
            <translation>Mit --screenshot: &lt;ms&gt; nach dem ersten Zeichnen warten (Vorgabe 1500).</translation>
        </message>
        <message>
            <source>ms</source>
            <translation>ms</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::CoreGrid</name>
        <message>
            <source>CPU %1</source>
            <translation>CPU %1</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::FilesystemBars</name>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message>
            <source>No filesystems</source>
            <translation>Keine Dateisysteme</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::MainWindow</name>
        <message numerus="yes">
            <source>%n s</source>
            <translation>
                <numerusform>%n s</numerusform>
                <numerusform>%n s</numerusform>
            </translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 ms</translation>
        </message>
        <message>
            <source>Tidewatch — %1</source>
            <translation>Tidewatch — %1</translation>
        </message>
        <message>
            <source>Time window:</source>
            <translation>Zeitfenster:</translation>
        </message>
        <message>
            <source>1 minute</source>
            <translation>1 Minute</translation>
        </message>
        <message>
            <source>5 minutes</source>
            <translation>5 Minuten</translation>
        </message>
        <message>
            <source>15 minutes</source>
            <translation>15 Minuten</translation>
        </message>
        <message>
            <source>1 hour</source>
            <translation>1 Stunde</translation>
        </message>
        <message>
            <source>Show/Hide Tidewatch</source>
            <translation>Tidewatch anzeigen/ausblenden</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>&amp;Fortsetzen</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>&amp;Pause</translation>
        </message>
        <message>
            <source>Paused: the charts are frozen; sampling and the feed go on.</source>
            <translation>Angehalten: Die Diagramme stehen still; Messung und Feed laufen weiter.</translation>
        </message>
        <message>
            <source>Feed: %1</source>
            <translation>Feed: %1</translation>
        </message>
        <message>
            <source>Open this address in any browser to see the live dashboard.</source>
            <translation>Öffnen Sie diese Adresse in einem Browser, um das Live-Dashboard zu sehen.</translation>
        </message>
        <message>
            <source>Feed not running: %1</source>
            <translation>Feed läuft nicht: %1</translation>
        </message>
        <message>
            <source>Feed off</source>
            <translation>Feed aus</translation>
        </message>
        <message numerus="yes">
            <source>%n browser(s) connected</source>
            <translation>
                <numerusform>%n Browser verbunden</numerusform>
                <numerusform>%n Browser verbunden</numerusform>
            </translation>
        </message>
        <message>
            <source>Sampling every %1</source>
            <translation>Messung alle %1</translation>
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3. It keeps running at %4.</source>
            <translation>Der Feed kann nicht auf %1 Port %2 lauschen: %3. Er läuft weiter unter %4.</translation>
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3.</source>
            <translation>Der Feed kann nicht auf %1 Port %2 lauschen: %3.</translation>
        </message>
        <message>
            <source>Copied %1 to the clipboard</source>
            <translation>%1 in die Zwischenablage kopiert</translation>
        </message>
        <message>
            <source>About Tidewatch</source>
            <translation>Über Tidewatch</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;A system monitor you can both see and share: one sampler drives this window and every browser that opens the feed.&lt;/p&gt;&lt;p&gt;License: GPL-3.0-or-later&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;Ein Systemmonitor zum Ansehen und Teilen: Eine Messung speist dieses Fenster und jeden Browser, der den Feed öffnet.&lt;/p&gt;&lt;p&gt;Lizenz: GPL-3.0-or-later&lt;/p&gt;</translation>
        </message>
        <message>
            <source>6 hours</source>
            <translation>6 Stunden</translation>
        </message>
        <message>
            <source>24 hours</source>
            <translation>24 Stunden</translation>
        </message>
        <message>
            <source>7 days</source>
            <translation>7 Tage</translation>
        </message>
        <message>
            <source>30 days</source>
            <translation>30 Tage</translation>
        </message>
        <message>
            <source>Up to 1 hour from memory; longer windows from the history store. Drag across a chart to zoom in.</source>
            <translation>Bis 1 Stunde aus dem Speicher, längere Zeitfenster aus dem Verlaufsspeicher. Zum Vergrößern über ein Diagramm ziehen.</translation>
        </message>
        <message>
            <source>The history store failed: %1</source>
            <translation>Der Verlaufsspeicher ist ausgefallen: %1</translation>
        </message>
        <message>
            <source>History is off, so only the last hour (kept in memory) can be shown. Start Tidewatch without --no-history to keep history.</source>
            <translation>Der Verlauf ist aus, daher kann nur die letzte Stunde (im Arbeitsspeicher) gezeigt werden. Starten Sie Tidewatch ohne --no-history, um den Verlauf aufzubewahren.</translation>
        </message>
        <message>
            <source>From the history store</source>
            <translation>Aus dem Verlaufsspeicher</translation>
        </message>
        <message>
            <source>History off</source>
            <translation>Verlauf aus</translation>
        </message>
        <message>
            <source>No history is kept: windows longer than an hour are not available.</source>
            <translation>Es wird kein Verlauf aufbewahrt: Zeitfenster über eine Stunde sind nicht verfügbar.</translation>
        </message>
        <message>
            <source>History</source>
            <translation>Verlauf</translation>
        </message>
        <message>
            <source>History: %1</source>
            <translation>Verlauf: %1</translation>
        </message>
        <message>
            <source>History kept in %1</source>
            <translation>Verlauf in %1</translation>
        </message>
        <message>
            <source>%1 points written, %2 waiting</source>
            <translation>%1 Punkte geschrieben, %2 wartend</translation>
        </message>
        <message>
            <source>History degraded</source>
            <translation>Verlauf eingeschränkt</translation>
        </message>
        <message>
            <source>%1 blocks spooled, %2 points dropped</source>
            <translation>%1 Blöcke zwischengespeichert, %2 Punkte verworfen</translation>
        </message>
        <message>
            <source>History failed</source>
            <translation>Verlauf ausgefallen</translation>
        </message>
        <message>
            <source>Zoomed in: live drawing stops until you reset the zoom (Esc, or double-click a chart).</source>
            <translation>Vergrößert: Die Live-Anzeige ruht, bis Sie den Zoom zurücksetzen (Esc oder Doppelklick in ein Diagramm).</translation>
        </message>
        <message>
            <source>Export Visible Range as CSV</source>
            <translation>Sichtbaren Bereich als CSV exportieren</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>CSV-Dateien (*.csv)</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation>Export fehlgeschlagen</translation>
        </message>
        <message numerus="yes">
            <source>Exported %n row(s) to %1</source>
            <translation><numerusform>%n Zeile nach %1 exportiert</numerusform><numerusform>%n Zeilen nach %1 exportiert</numerusform></translation>
        </message>
        <message>
            <source>Copied a login link for %1: it works once, within 5 minutes</source>
            <translation>Anmeldelink für %1 kopiert: einmal verwendbar, 5 Minuten lang gültig</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::OverviewPage</name>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Speicher</translation>
        </message>
        <message>
            <source>Load average</source>
            <translation>Systemlast</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>Netzwerk</translation>
        </message>
        <message>
            <source>Disks</source>
            <translation>Datenträger</translation>
        </message>
        <message>
            <source>Temperatures</source>
            <translation>Temperaturen</translation>
        </message>
        <message>
            <source>All interfaces</source>
            <translation>Alle Schnittstellen</translation>
        </message>
        <message>
            <source>All disks</source>
            <translation>Alle Datenträger</translation>
        </message>
        <message>
            <source>Filesystems</source>
            <translation>Dateisysteme</translation>
        </message>
        <message>
            <source>System</source>
            <translation>System</translation>
        </message>
        <message>
            <source>CPU time Tidewatch spent reading the system for the last sample</source>
            <translation>CPU-Zeit, die Tidewatch für die letzte Messung gebraucht hat</translation>
        </message>
        <message>
            <source>Up for</source>
            <translation>Laufzeit</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>Prozesse</translation>
        </message>
        <message>
            <source>Threads</source>
            <translation>Threads</translation>
        </message>
        <message>
            <source>Context switches</source>
            <translation>Kontextwechsel</translation>
        </message>
        <message>
            <source>Sampling cost</source>
            <translation>Messaufwand</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>Gesamt</translation>
        </message>
        <message>
            <source>I/O wait</source>
            <translation>E/A-Wartezeit</translation>
        </message>
        <message>
            <source>Swap</source>
            <translation>Auslagerung</translation>
        </message>
        <message>
            <source>1 min</source>
            <translation>1 min</translation>
        </message>
        <message>
            <source>5 min</source>
            <translation>5 min</translation>
        </message>
        <message>
            <source>15 min</source>
            <translation>15 min</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>Empfangen</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>Gesendet</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>Gelesen</translation>
        </message>
        <message>
            <source>Written</source>
            <translation>Geschrieben</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 von %2</translation>
        </message>
        <message numerus="yes">
            <source>%1 on %n CPU(s)</source>
            <translation>
                <numerusform>%1 bei %n CPU</numerusform>
                <numerusform>%1 bei %n CPUs</numerusform>
            </translation>
        </message>
        <message>
            <source>R %1&amp;nbsp;&amp;nbsp;W %2</source>
            <translation>L %1&amp;nbsp;&amp;nbsp;S %2</translation>
        </message>
        <message>
            <source>%1 d %2 h</source>
            <translation>%1 T %2 h</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 h %2 min</translation>
        </message>
        <message>
            <source>%1 ms CPU</source>
            <translation>%1 ms CPU</translation>
        </message>
        <message>
            <source>max %1</source>
            <translation>max. %1</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>Wird geladen…</translation>
        </message>
        <message>
            <source>History unavailable: %1</source>
            <translation>Verlauf nicht verfügbar: %1</translation>
        </message>
        <message>
            <source>No data in this range</source>
            <translation>Keine Daten in diesem Bereich</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::ProcessTableModel</name>
        <message>
            <source>PID</source>
            <translation>PID</translation>
        </message>
        <message>
            <source>Name</source>
            <translation>Name</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>Speicher</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::QrCodeDialog</name>
        <message>
            <source>Feed QR code</source>
            <translation>QR-Code des Feeds</translation>
        </message>
        <message>
            <source>This address is only reachable from this computer. To open the dashboard on a phone, set the bind address to this computer's network address in Settings.</source>
            <translation>Diese Adresse ist nur von diesem Rechner aus erreichbar. Um das Dashboard auf einem Telefon zu öffnen, stellen Sie in den Einstellungen die Netzwerkadresse dieses Rechners ein.</translation>
        </message>
        <message>
            <source>This link signs one browser in: it works once, within 5 minutes. For another device, make a new link.</source>
            <translation>Dieser Link meldet einen Browser an. Er ist einmal verwendbar und 5 Minuten lang gültig. Für ein weiteres Gerät erzeugen Sie einen neuen Link.</translation>
        </message>
        <message>
            <source>New link</source>
            <translation>Neuer Link</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::SettingsDialog</name>
        <message>
            <source>Follow the system</source>
            <translation>Wie das System</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>Hell</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>Dunkel</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>Systemsprache</translation>
        </message>
        <message>
            <source>"%1" is not an IP address. Use 127.0.0.1 for this computer only, or 0.0.0.0 for every network.</source>
            <translation>„%1“ ist keine IP-Adresse. Verwenden Sie 127.0.0.1 nur für diesen Rechner oder 0.0.0.0 für alle Netzwerke.</translation>
        </message>
        <message>
            <source>"%1" is not a valid port. Enter a whole number from 1 to 65535 (or 0 for any free port).</source>
            <translation>„%1“ ist kein gültiger Port. Geben Sie eine ganze Zahl von 1 bis 65535 ein (oder 0 für einen beliebigen freien Port).</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>Anzeigen</translation>
        </message>
        <message>
            <source>Hide</source>
            <translation>Verbergen</translation>
        </message>
        <message>
            <source>Regenerate the access token?</source>
            <translation>Zugangstoken neu erzeugen?</translation>
        </message>
        <message>
            <source>Browsers signed in with the current token must sign in again, with the new token or a new QR code.</source>
            <translation>Browser, die mit dem bisherigen Token angemeldet sind, müssen sich erneut anmelden – mit dem neuen Token oder einem neuen QR-Code.</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>Neu erzeugen</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::TimeTable</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>%1 kann nicht geschrieben werden: %2</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::TrayIcon</name>
        <message>
            <source>Tidewatch</source>
            <translation>Tidewatch</translation>
        </message>
        <message>
            <source>Tidewatch — CPU %1, memory %2</source>
            <translation>Tidewatch — CPU %1, Speicher %2</translation>
        </message>
    </context>
</TS>
