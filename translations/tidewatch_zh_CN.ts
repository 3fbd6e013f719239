<?xml version="1.0" encoding="utf-8"?>
<!-- SPDX-License-Identifier: GPL-3.0-or-later -->
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
    <context>
        <name>MainWindow</name>
        <message>
            <source>Tidewatch</source>
            <translation>Tidewatch</translation>
        </message>
        <message>
            <source>Overview</source>
            <translation>概览</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>进程</translation>
        </message>
        <message>
            <source>Filter by name…</source>
            <translation>按名称筛选…</translation>
        </message>
        <message>
            <source>The busiest processes by CPU and by memory, from the latest sample.</source>
            <translation>按 CPU 和内存占用排列的最繁忙进程，取自最近一次采样。</translation>
        </message>
        <message>
            <source>&amp;File</source>
            <translation>文件(&amp;F)</translation>
        </message>
        <message>
            <source>&amp;View</source>
            <translation>视图(&amp;V)</translation>
        </message>
        <message>
            <source>F&amp;eed</source>
            <translation>数据源(&amp;E)</translation>
        </message>
        <message>
            <source>&amp;Help</source>
            <translation>帮助(&amp;H)</translation>
        </message>
        <message>
            <source>Main Toolbar</source>
            <translation>主工具栏</translation>
        </message>
        <message>
            <source>Open &amp;Dashboard in Browser</source>
            <translation>在浏览器中打开仪表盘(&amp;D)</translation>
        </message>
        <message>
            <source>Open the live dashboard in the default web browser</source>
            <translation>在默认浏览器中打开实时仪表盘</translation>
        </message>
        <message>
            <source>Ctrl+D</source>
            <translation>Ctrl+D</translation>
        </message>
        <message>
            <source>&amp;Copy Feed URL</source>
            <translation>复制数据源 URL(&amp;C)</translation>
        </message>
        <message>
            <source>Copy the feed's address to the clipboard</source>
            <translation>将数据源地址复制到剪贴板</translation>
        </message>
        <message>
            <source>Ctrl+Shift+C</source>
            <translation>Ctrl+Shift+C</translation>
        </message>
        <message>
            <source>Show &amp;QR Code…</source>
            <translation>显示二维码(&amp;Q)…</translation>
        </message>
        <message>
            <source>Show the feed's address as a QR code for a phone</source>
            <translation>将数据源地址显示为二维码，供手机扫描</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>暂停(&amp;P)</translation>
        </message>
        <message>
            <source>Freeze the charts; sampling and the feed go on</source>
            <translation>冻结图表；采样和数据源照常运行</translation>
        </message>
        <message>
            <source>Space</source>
            <translation>Space</translation>
        </message>
        <message>
            <source>&amp;Settings…</source>
            <translation>设置(&amp;S)…</translation>
        </message>
        <message>
            <source>Feed, sampling, theme and language</source>
            <translation>数据源、采样、主题和语言</translation>
        </message>
        <message>
            <source>Ctrl+,</source>
            <translation>Ctrl+,</translation>
        </message>
        <message>
            <source>&amp;Quit</source>
            <translation>退出(&amp;Q)</translation>
        </message>
        <message>
            <source>Quit Tidewatch and stop the feed</source>
            <translation>退出 Tidewatch 并停止数据源</translation>
        </message>
        <message>
            <source>Ctrl+Q</source>
            <translation>Ctrl+Q</translation>
        </message>
        <message>
            <source>&amp;About Tidewatch</source>
            <translation>关于 Tidewatch(&amp;A)</translation>
        </message>
        <message>
            <source>&amp;Export Visible Range as CSV…</source>
            <translation>将可见范围导出为 CSV(&amp;E)…</translation>
        </message>
        <message>
            <source>Save what the charts show now as a CSV file</source>
            <translation>将图表当前显示的内容保存为 CSV 文件</translation>
        </message>
        <message>
            <source>Ctrl+E</source>
            <translation>Ctrl+E</translation>
        </message>
        <message>
            <source>&amp;Reset Zoom</source>
            <translation>重置缩放(&amp;R)</translation>
        </message>
        <message>
            <source>Show the whole time window again (Esc, or double-click a chart)</source>
            <translation>重新显示整个时间窗口（按 Esc 或双击图表）</translation>
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
            <translation>设置</translation>
        </message>
        <message>
            <source>Browser feed</source>
            <translation>浏览器数据源</translation>
        </message>
        <message>
            <source>Serve the dashboard and the live feed to browsers</source>
            <translation>向浏览器提供仪表盘和实时数据源</translation>
        </message>
        <message>
            <source>&amp;Address:</source>
            <translation>地址(&amp;A)：</translation>
        </message>
        <message>
            <source>127.0.0.1</source>
            <translation>127.0.0.1</translation>
        </message>
        <message>
            <source>127.0.0.1 keeps the feed on this computer; 0.0.0.0 opens it to the network.</source>
            <translation>127.0.0.1 仅限本机访问；0.0.0.0 向网络开放。</translation>
        </message>
        <message>
            <source>&amp;Port:</source>
            <translation>端口(&amp;P)：</translation>
        </message>
        <message>
            <source>8765</source>
            <translation>8765</translation>
        </message>
        <message>
            <source>0 picks any free port.</source>
            <translation>0 表示任选一个空闲端口。</translation>
        </message>
        <message>
            <source>Sampling</source>
            <translation>采样</translation>
        </message>
        <message>
            <source>Sample &amp;every:</source>
            <translation>采样间隔(&amp;E)：</translation>
        </message>
        <message>
            <source> ms</source>
            <translation> 毫秒</translation>
        </message>
        <message>
            <source>Appearance</source>
            <translation>外观</translation>
        </message>
        <message>
            <source>&amp;Theme:</source>
            <translation>主题(&amp;T)：</translation>
        </message>
        <message>
            <source>&amp;Language:</source>
            <translation>语言(&amp;L)：</translation>
        </message>
        <message>
            <source>A new language applies the next time Tidewatch starts.</source>
            <translation>新语言将在下次启动 Tidewatch 时生效。</translation>
        </message>
        <message>
            <source>Window</source>
            <translation>窗口</translation>
        </message>
        <message>
            <source>Start &amp;minimized</source>
            <translation>启动时最小化(&amp;M)</translation>
        </message>
        <message>
            <source>&amp;Closing the window keeps Tidewatch running in the system tray</source>
            <translation>关闭窗口后 Tidewatch 继续在系统托盘中运行(&amp;C)</translation>
        </message>
        <message>
            <source>Ask for the access token on this computer too</source>
            <translation>在本机上也要求输入访问令牌</translation>
        </message>
        <message>
            <source>For a computer that others use too: browsers here must sign in as well.</source>
            <translation>适用于多人共用的计算机：本机浏览器也必须登录。</translation>
        </message>
        <message>
            <source>Access to&amp;ken:</source>
            <translation>访问令牌(&amp;K)：</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>显示</translation>
        </message>
        <message>
            <source>Copy</source>
            <translation>复制</translation>
        </message>
        <message>
            <source>Copy the token to the clipboard</source>
            <translation>将令牌复制到剪贴板</translation>
        </message>
        <message>
            <source>Regenerate…</source>
            <translation>重新生成…</translation>
        </message>
        <message>
            <source>Other devices sign in with this token, or simply by scanning the QR code.</source>
            <translation>其他设备可使用此令牌登录，或直接扫描二维码。</translation>
        </message>
    </context>
    <context>
        <name>main</name>
        <message>
            <source>Tidewatch: a live view of this machine, and the same samples served to browsers on one port.</source>
            <translation>Tidewatch：实时查看本机状态，并在同一端口上向浏览器提供相同的采样数据。</translation>
        </message>
        <message>
            <source>Do not serve the feed.</source>
            <translation>不提供数据源。</translation>
        </message>
        <message>
            <source>Use the language &lt;code&gt; (en, de, fr, es, zh_CN).</source>
            <translation>使用语言 &lt;code&gt;（en、de、fr、es、zh_CN）。</translation>
        </message>
        <message>
            <source>code</source>
            <translation>代码</translation>
        </message>
        <message>
            <source>Start minimized (to the tray if any).</source>
            <translation>启动时最小化（如有系统托盘则最小化到托盘）。</translation>
        </message>
        <message>
            <source>Render the main window to the PNG &lt;file&gt; and exit.</source>
            <translation>将主窗口渲染为 PNG 文件 &lt;file&gt; 后退出。</translation>
        </message>
        <message>
            <source>file</source>
            <translation>文件</translation>
        </message>
        <message>
            <source>With --screenshot: wait &lt;ms&gt; after the first paint (default 1500).</source>
            <translation>与 --screenshot 一起使用：首次绘制后等待 &lt;ms&gt; 毫秒（默认 1500）。</translation>
        </message>
        <message>
            <source>ms</source>
            <translation>毫秒</translation>
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
            <translation>%1 / %2</translation>
        </message>
        <message>
            <source>No filesystems</source>
            <translation>没有文件系统</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::MainWindow</name>
        <message numerus="yes">
            <source>%n s</source>
            <translation><numerusform>%n 秒</numerusform></translation>
        </message>
        <message>
            <source>%1 ms</source>
            <translation>%1 毫秒</translation>
        </message>
        <message>
            <source>Tidewatch — %1</source>
            <translation>Tidewatch — %1</translation>
        </message>
        <message>
            <source>Time window:</source>
            <translation>时间窗口：</translation>
        </message>
        <message>
            <source>1 minute</source>
            <translation>1 分钟</translation>
        </message>
        <message>
            <source>5 minutes</source>
            <translation>5 分钟</translation>
        </message>
        <message>
            <source>15 minutes</source>
            <translation>15 分钟</translation>
        </message>
        <message>
            <source>1 hour</source>
            <translation>1 小时</translation>
        </message>
        <message>
            <source>Show/Hide Tidewatch</source>
            <translation>显示/隐藏 Tidewatch</translation>
        </message>
        <message>
            <source>&amp;Resume</source>
            <translation>继续(&amp;R)</translation>
        </message>
        <message>
            <source>&amp;Pause</source>
            <translation>暂停(&amp;P)</translation>
        </message>
        <message>
            <source>Paused: the charts are frozen; sampling and the feed go on.</source>
            <translation>已暂停：图表已冻结；采样和数据源照常运行。</translation>
        </message>
        <message>
            <source>Feed: %1</source>
            <translation>数据源：%1</translation>
        </message>
        <message>
            <source>Open this address in any browser to see the live dashboard.</source>
            <translation>在任意浏览器中打开此地址即可查看实时仪表盘。</translation>
        </message>
        <message>
            <source>Feed not running: %1</source>
            <translation>数据源未运行：%1</translation>
        </message>
        <message>
            <source>Feed off</source>
            <translation>数据源已关闭</translation>
        </message>
        <message numerus="yes">
            <source>%n browser(s) connected</source>
            <translation><numerusform>已连接 %n 个浏览器</numerusform></translation>
        </message>
        <message>
            <source>Sampling every %1</source>
            <translation>每 %1 采样一次</translation>
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3. It keeps running at %4.</source>
            <translation>数据源无法在 %1 的端口 %2 上监听：%3。它继续在 %4 上运行。</translation>
        </message>
        <message>
            <source>The feed cannot listen on %1 port %2: %3.</source>
            <translation>数据源无法在 %1 的端口 %2 上监听：%3。</translation>
        </message>
        <message>
            <source>Copied %1 to the clipboard</source>
            <translation>已将 %1 复制到剪贴板</translation>
        </message>
        <message>
            <source>About Tidewatch</source>
            <translation>关于 Tidewatch</translation>
        </message>
        <message>
            <source>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;A system monitor you can both see and share: one sampler drives this window and every browser that opens the feed.&lt;/p&gt;&lt;p&gt;License: GPL-3.0-or-later&lt;/p&gt;</source>
            <translation>&lt;h3&gt;Tidewatch %1&lt;/h3&gt;&lt;p&gt;一款既能查看又能共享的系统监视器：同一个采样器驱动此窗口以及每个打开数据源的浏览器。&lt;/p&gt;&lt;p&gt;许可证：GPL-3.0-or-later&lt;/p&gt;</translation>
        </message>
        <message>
            <source>6 hours</source>
            <translation>6 小时</translation>
        </message>
        <message>
            <source>24 hours</source>
            <translation>24 小时</translation>
        </message>
        <message>
            <source>7 days</source>
            <translation>7 天</translation>
        </message>
        <message>
            <source>30 days</source>
            <translation>30 天</translation>
        </message>
        <message>
            <source>Up to 1 hour from memory; longer windows from the history store. Drag across a chart to zoom in.</source>
            <translation>1 小时以内的数据来自内存；更长的窗口来自历史存储。在图表上拖动即可放大。</translation>
        </message>
        <message>
            <source>The history store failed: %1</source>
            <translation>历史存储出错：%1</translation>
        </message>
        <message>
            <source>History is off, so only the last hour (kept in memory) can be shown. Start Tidewatch without --no-history to keep history.</source>
            <translation>历史记录已关闭，因此只能显示最近一小时（保存在内存中）。不带 --no-history 启动 Tidewatch 即可保留历史记录。</translation>
        </message>
        <message>
            <source>From the history store</source>
            <translation>来自历史存储</translation>
        </message>
        <message>
            <source>History off</source>
            <translation>历史记录已关闭</translation>
        </message>
        <message>
            <source>No history is kept: windows longer than an hour are not available.</source>
            <translation>未保留历史记录：无法使用超过一小时的窗口。</translation>
        </message>
        <message>
            <source>History</source>
            <translation>历史记录</translation>
        </message>
        <message>
            <source>History: %1</source>
            <translation>历史记录：%1</translation>
        </message>
        <message>
            <source>History kept in %1</source>
            <translation>历史记录保存在 %1</translation>
        </message>
        <message>
            <source>%1 points written, %2 waiting</source>
            <translation>已写入 %1 个数据点，%2 个等待中</translation>
        </message>
        <message>
            <source>History degraded</source>
            <translation>历史记录降级</translation>
        </message>
        <message>
            <source>%1 blocks spooled, %2 points dropped</source>
            <translation>%1 个数据块已缓存，%2 个数据点已丢弃</translation>
        </message>
        <message>
            <source>History failed</source>
            <translation>历史记录失败</translation>
        </message>
        <message>
            <source>Zoomed in: live drawing stops until you reset the zoom (Esc, or double-click a chart).</source>
            <translation>已放大：实时绘制暂停，直到重置缩放（按 Esc 或双击图表）。</translation>
        </message>
        <message>
            <source>Export Visible Range as CSV</source>
            <translation>将可见范围导出为 CSV</translation>
        </message>
        <message>
            <source>CSV files (*.csv)</source>
            <translation>CSV 文件 (*.csv)</translation>
        </message>
        <message>
            <source>Export failed</source>
            <translation>导出失败</translation>
        </message>
        <message numerus="yes">
            <source>Exported %n row(s) to %1</source>
            <translation><numerusform>已将 %n 行导出到 %1</numerusform></translation>
        </message>
        <message>
            <source>Copied a login link for %1: it works once, within 5 minutes</source>
            <translation>已复制 %1 的登录链接：仅可使用一次，5 分钟内有效</translation>
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
            <translation>内存</translation>
        </message>
        <message>
            <source>Load average</source>
            <translation>平均负载</translation>
        </message>
        <message>
            <source>Network</source>
            <translation>网络</translation>
        </message>
        <message>
            <source>Disks</source>
            <translation>磁盘</translation>
        </message>
        <message>
            <source>Temperatures</source>
            <translation>温度</translation>
        </message>
        <message>
            <source>All interfaces</source>
            <translation>所有接口</translation>
        </message>
        <message>
            <source>All disks</source>
            <translation>所有磁盘</translation>
        </message>
        <message>
            <source>Filesystems</source>
            <translation>文件系统</translation>
        </message>
        <message>
            <source>System</source>
            <translation>系统</translation>
        </message>
        <message>
            <source>CPU time Tidewatch spent reading the system for the last sample</source>
            <translation>Tidewatch 为最近一次采样读取系统所用的 CPU 时间</translation>
        </message>
        <message>
            <source>Up for</source>
            <translation>已运行</translation>
        </message>
        <message>
            <source>Processes</source>
            <translation>进程</translation>
        </message>
        <message>
            <source>Threads</source>
            <translation>线程</translation>
        </message>
        <message>
            <source>Context switches</source>
            <translation>上下文切换</translation>
        </message>
        <message>
            <source>Sampling cost</source>
            <translation>采样开销</translation>
        </message>
        <message>
            <source>Total</source>
            <translation>总计</translation>
        </message>
        <message>
            <source>I/O wait</source>
            <translation>I/O 等待</translation>
        </message>
        <message>
            <source>Swap</source>
            <translation>交换</translation>
        </message>
        <message>
            <source>1 min</source>
            <translation>1 分钟</translation>
        </message>
        <message>
            <source>5 min</source>
            <translation>5 分钟</translation>
        </message>
        <message>
            <source>15 min</source>
            <translation>15 分钟</translation>
        </message>
        <message>
            <source>Received</source>
            <translation>接收</translation>
        </message>
        <message>
            <source>Sent</source>
            <translation>发送</translation>
        </message>
        <message>
            <source>Read</source>
            <translation>读取</translation>
        </message>
        <message>
            <source>Written</source>
            <translation>写入</translation>
        </message>
        <message>
            <source>%1 of %2</source>
            <translation>%1 / %2</translation>
        </message>
        <message numerus="yes">
            <source>%1 on %n CPU(s)</source>
            <translation><numerusform>%1，共 %n 个 CPU</numerusform></translation>
        </message>
        <message>
            <source>R %1&amp;nbsp;&amp;nbsp;W %2</source>
            <translation>读 %1&amp;nbsp;&amp;nbsp;写 %2</translation>
        </message>
        <message>
            <source>%1 d %2 h</source>
            <translation>%1 天 %2 小时</translation>
        </message>
        <message>
            <source>%1 h %2 min</source>
            <translation>%1 小时 %2 分钟</translation>
        </message>
        <message>
            <source>%1 ms CPU</source>
            <translation>CPU %1 毫秒</translation>
        </message>
        <message>
            <source>max %1</source>
            <translation>最大 %1</translation>
        </message>
        <message>
            <source>Loading…</source>
            <translation>正在加载…</translation>
        </message>
        <message>
            <source>History unavailable: %1</source>
            <translation>历史记录不可用：%1</translation>
        </message>
        <message>
            <source>No data in this range</source>
            <translation>此范围内没有数据</translation>
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
            <translation>名称</translation>
        </message>
        <message>
            <source>CPU</source>
            <translation>CPU</translation>
        </message>
        <message>
            <source>Memory</source>
            <translation>内存</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::QrCodeDialog</name>
        <message>
            <source>Feed QR code</source>
            <translation>数据源二维码</translation>
        </message>
        <message>
            <source>This address is only reachable from this computer. To open the dashboard on a phone, set the bind address to this computer's network address in Settings.</source>
            <translation>此地址只能从本机访问。要在手机上打开仪表盘，请在设置中将绑定地址设为本机的网络地址。</translation>
        </message>
        <message>
            <source>This link signs one browser in: it works once, within 5 minutes. For another device, make a new link.</source>
            <translation>此链接可让一个浏览器登录：仅可使用一次，5 分钟内有效。如需用于其他设备，请生成新链接。</translation>
        </message>
        <message>
            <source>New link</source>
            <translation>新链接</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::SettingsDialog</name>
        <message>
            <source>Follow the system</source>
            <translation>跟随系统</translation>
        </message>
        <message>
            <source>Light</source>
            <translation>浅色</translation>
        </message>
        <message>
            <source>Dark</source>
            <translation>深色</translation>
        </message>
        <message>
            <source>System language</source>
            <translation>系统语言</translation>
        </message>
        <message>
            <source>"%1" is not an IP address. Use 127.0.0.1 for this computer only, or 0.0.0.0 for every network.</source>
            <translation>“%1”不是 IP 地址。使用 127.0.0.1 仅限本机，或使用 0.0.0.0 面向所有网络。</translation>
        </message>
        <message>
            <source>"%1" is not a valid port. Enter a whole number from 1 to 65535 (or 0 for any free port).</source>
            <translation>“%1”不是有效端口。请输入 1 到 65535 之间的整数（或输入 0 任选空闲端口）。</translation>
        </message>
        <message>
            <source>Show</source>
            <translation>显示</translation>
        </message>
        <message>
            <source>Hide</source>
            <translation>隐藏</translation>
        </message>
        <message>
            <source>Regenerate the access token?</source>
            <translation>重新生成访问令牌？</translation>
        </message>
        <message>
            <source>Browsers signed in with the current token must sign in again, with the new token or a new QR code.</source>
            <translation>使用当前令牌登录的浏览器必须重新登录，可使用新令牌或新二维码。</translation>
        </message>
        <message>
            <source>Regenerate</source>
            <translation>重新生成</translation>
        </message>
    </context>
    <context>
        <name>tidewatch::TimeTable</name>
        <message>
            <source>Cannot write %1: %2</source>
            <translation>无法写入 %1：%2</translation>
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
            <translation>Tidewatch — CPU %1，内存 %2</translation>
        </message>
    </context>
</TS>
