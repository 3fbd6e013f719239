<?xml version="1.0" encoding="utf-8"?>
<!-- SPDX-License-Identifier: GPL-3.0-or-later -->
<!DOCTYPE TS>
<TS version="2.1" language="en_US">
    <context>
        <name>MainWindow</name>
        <message>
            <source>Tidewatch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Overview</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Processes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Filter by name…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The busiest processes by CPU and by memory, from the latest sample.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;File</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;View</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>F&amp;eed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Help</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Main Toolbar</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open &amp;Dashboard in Browser</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open the live dashboard in the default web browser</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl+D</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Copy Feed URL</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copy the feed's address to the clipboard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl+Shift+C</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show &amp;QR Code…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the feed's address as a QR code for a phone</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Freeze the charts; sampling and the feed go on</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Space</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Feed, sampling, theme and language</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl+,</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Quit Tidewatch and stop the feed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl+Q</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;About Tidewatch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Export Visible Range as CSV…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Save what the charts show now as a CSV file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ctrl+E</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Reset Zoom</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show the whole time window again (Esc, or double-click a chart)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Esc</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>SettingsDialog</name>
        <message>
            <source>Settings</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Browser feed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Serve the dashboard and the live feed to browsers</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>127.0.0.1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>127.0.0.1 keeps the feed on this computer; 0.0.0.0 opens it to the network.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Port:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>8765</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>0 picks any free port.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sampling</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sample &amp;every:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source> ms</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Appearance</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Theme:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>A new language applies the next time Tidewatch starts.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Window</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start &amp;minimized</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Closing the window keeps Tidewatch running in the system tray</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Ask for the access token on this computer too</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>For a computer that others use too: browsers here must sign in as well.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Access to&amp;ken:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copy</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copy the token to the clipboard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Regenerate…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Other devices sign in with this token, or simply by scanning the QR code.</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Tidewatch: a live view of this machine, and the same samples served to browsers on one port.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Do not serve the feed.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Use the language &lt;code&gt; (en, de, fr, es, zh_CN).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>code</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Start minimized (to the tray if any).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Render the main window to the PNG &lt;file&gt; and exit.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>file</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>With --screenshot: wait &lt;ms&gt; after the first paint (default 1500).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>ms</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>tidewatch::CoreGrid</name>
        <message>
            <source>CPU %1</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>tidewatch::FilesystemBars</name>
        <message>
            <source>%1 of %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No filesystems</source>
            <translation type="unfinished" />
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
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tidewatch — %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Time window:</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 minute</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>5 minutes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>15 minutes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 hour</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show/Hide Tidewatch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Paused: the charts are frozen; sampling and the feed go on.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Feed: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Open this address in any browser to see the live dashboard.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Feed not running: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Feed off</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%n browser(s) connected</source>
            <translation>
                <numerusform>%n browser connected</numerusform>
                <numerusform>%n browsers connected</numerusform>
            </translation>
        </message>
        <message>
            <source>Sampling every %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3. It keeps running at %4.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Copied %1 to the clipboard</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>About Tidewatch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;A system monitor you can both see and share: one sampler drives this window and every browser that opens the feed.&lt;/p&gt;&lt;p&gt;License: GPL-3.0-or-later&lt;/p&gt;</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>6 hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>24 hours</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>7 days</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>30 days</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Up to 1 hour from memory; longer windows from the history store. Drag across a chart to zoom in.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>The history store failed: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History is off, so only the last hour (kept in memory) can be shown. Start Tidewatch without --no-history to keep history.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>From the history store</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History off</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No history is kept: windows longer than an hour are not available.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History kept in %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 points written, %2 waiting</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History degraded</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 blocks spooled, %2 points dropped</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History failed</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Zoomed in: live drawing stops until you reset the zoom (Esc, or double-click a chart).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export Visible Range as CSV</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Export failed</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>Exported %n row(s) to %1</source>
            <translation><numerusform>Exported %n row to %1</numerusform><numerusform>Exported %n rows to %1</numerusform></translation>
        </message>
        <message>
            <source>Copied a login link for %1: it works once, within 5 minutes</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>tidewatch::OverviewPage</name>
        <message>
            <source>CPU</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Memory</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Load average</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Network</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Disks</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Temperatures</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All interfaces</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>All disks</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Filesystems</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>System</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CPU time Tidewatch spent reading the system for the last sample</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Up for</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Processes</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Threads</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Context switches</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sampling cost</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Total</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>I/O wait</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Swap</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>1 min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>5 min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>15 min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Received</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Sent</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Read</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Written</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 of %2</source>
            <translation type="unfinished" />
        </message>
        <message numerus="yes">
            <source>%1 on %n CPU(s)</source>
            <translation>
                <numerusform>%1 on %n CPU</numerusform>
                <numerusform>%1 on %n CPUs</numerusform>
            </translation>
        </message>
        <message>
            <source>R %1&amp;nbsp;&amp;nbsp;W %2</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 d %2 h</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>%1 ms CPU</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>max %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Loading…</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>History unavailable: %1</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>No data in this range</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>tidewatch::ProcessTableModel</name>
        <message>
            <source>PID</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Name</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>CPU</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Memory</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>tidewatch::QrCodeDialog</name>
        <message>
            <source>Feed QR code</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This address is only reachable from this computer. To open the dashboard on a phone, set the bind address to this computer's network address in Settings.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>This link signs one browser in: it works once, within 5 minutes. For another device, make a new link.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>New link</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>tidewatch::SettingsDialog</name>
        <message>
            <source>Follow the system</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Light</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Dark</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>System language</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>"%1" is not an IP address. Use 127.0.0.1 for this computer only, or 0.0.0.0 for every network.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>"%1" is not a valid port. Enter a whole number from 1 to 65535 (or 0 for any free port).</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Show</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Hide</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Regenerate the access token?</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Browsers signed in with the current token must sign in again, with the new token or a new QR code.</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Regenerate</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>tidewatch::TimeTable</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation type="unfinished" />
        </message>
    </context>
    <context>
        <name>tidewatch::TrayIcon</name>
        <message>
            <source>Tidewatch</source>
            <translation type="unfinished" />
        </message>
        <message>
            <source>Tidewatch — CPU %1, memory %2</source>
            <translation type="unfinished" />
        </message>
    </context>
</TS>
