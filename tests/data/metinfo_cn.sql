-- A small Chinese-only MetInfo 7 site (written for masthead's tests, not
-- from MetInfo): read after MetInfo's schema dump (sql.sql). Every row has
-- lang 'cn'; there are no met_lang rows, so the language comes from them.
INSERT INTO `met_config` (`name`, `value`, `mobile_value`, `columnid`, `flashid`, `lang`) VALUES
('metconfig_webname', '示范区政务网', '', 0, 0, 'cn'),
('metconfig_keywords', '示范区,政务', '', 0, 0, 'cn'),
('metconfig_description', '示范区政务公开网站', '', 0, 0, 'cn'),
('metconfig_footright', '版权所有 © 示范区管委会', '', 0, 0, 'cn'),
('metconfig_icp', '鲁ICP备12345678号-1', '', 0, 0, 'cn');

INSERT INTO `met_column` (`id`, `name`, `foldername`, `filename`, `bigclass`, `module`, `no_order`, `nav`, `ctitle`, `keywords`, `content`, `description`, `classtype`, `isshow`, `lang`, `display`, `list_length`) VALUES
(101, '关于我们', 'about', '', 0, 1, 1, 1, '关于示范区', '', '<p>示范区位于<img src="../upload/202001/1577836800.jpg" alt="map"></p>', '', 1, 1, 'cn', 0, 0),
(102, '新闻中心', 'news', '', 0, 2, 2, 3, '', '', '', '', 1, 1, 'cn', 0, 15),
(103, '通知公告', 'news', 'notice', 102, 2, 1, 0, '', '', '', '', 2, 1, 'cn', 0, 0),
(104, '产品展示', 'product', '', 0, 3, 3, 1, '', '', '', '', 1, 1, 'cn', 0, 0),
(105, '内部栏目', 'internal', '', 0, 2, 9, 0, '', '', '', '', 1, 1, 'cn', 1, 0);

INSERT INTO `met_news` (`id`, `title`, `ctitle`, `keywords`, `description`, `content`, `class1`, `class2`, `class3`, `no_order`, `imgurl`, `com_ok`, `issue`, `hits`, `updatetime`, `addtime`, `top_ok`, `filename`, `lang`, `recycle`, `displaytype`) VALUES
(201, '示范区召开2024年工作会议', '', '会议', '工作会议摘要', '<p>会议在<a href="upload/files/agenda.pdf">议程</a>中明确了任务。</p>', 102, 103, 0, 0, '../upload/202401/cover.jpg', 1, '办公室', 42, '2024-01-16 10:00:05', '2024-01-15 09:30:15', 1, '', 'cn', 0, 1),
(202, '<script>alert(1)</script>安全提示', '', '', '', '<p onclick="steal()">点击<a href="javascript:alert(2)">这里</a></p><script>alert(3)</script>', 102, 0, 0, 0, '', 0, '', 0, '2024-02-01 08:00:00', '2024-02-01 08:00:00', 0, '', 'cn', 0, 1),
(203, '已删除的新闻', '', '', '', '<p>回收站</p>', 102, 0, 0, 0, '', 0, '', 0, '2024-02-02 08:00:00', '2024-02-02 08:00:00', 0, '', 'cn', 2, 1),
(204, '未公开的新闻', '', '', '', '<p>草稿</p>', 102, 0, 0, 0, '', 0, '', 0, '2024-02-03 08:00:00', '2024-02-03 08:00:00', 0, '', 'cn', 0, 0);

INSERT INTO `met_product` (`id`, `title`, `content`, `class1`, `class2`, `class3`, `classother`, `imgurl`, `displayimg`, `updatetime`, `addtime`, `lang`, `recycle`, `displaytype`) VALUES
(301, '智能手环', '<p>产品介绍</p>', 104, 0, 0, '', '../upload/202401/band.jpg', '手环*../upload/202401/band1.jpg*400x400|手环*../upload/202401/band2.jpg*400x400', '2024-03-01 12:00:00', '2024-03-01 12:00:00', 'cn', 0, 1);

INSERT INTO `met_parameter` (`id`, `name`, `options`, `description`, `no_order`, `type`, `class1`, `class2`, `class3`, `module`, `lang`) VALUES
(401, '型号', '', '', 0, 1, 104, 0, 0, 3, 'cn');

INSERT INTO `met_plist` (`id`, `listid`, `paraid`, `info`, `lang`, `imgname`, `module`) VALUES
(501, 301, 401, 'MB-8', 'cn', '', 3);

INSERT INTO `met_link` (`id`, `webname`, `weburl`, `lang`) VALUES
(601, '政府网', 'https://www.gov.cn/', 'cn');

INSERT INTO `met_admin_table` (`id`, `admin_type`, `admin_id`, `admin_pass`, `admin_name`, `admin_email`, `admin_group`) VALUES
(1, 'metinfo', 'zhang', '653db310f651bb8af9ba3b29c81153ff', '张管理', 'zhang@example.cn', 10000),
(2, 's1101-s1102', 'wang', '0192023A7BBD73250516F069DF18B500', '王编辑', '', 0),
(3, 'metinfo', 'bad name!', '653db310f651bb8af9ba3b29c81153ff', '', '', 0);
