-- MySQL dump
/*!40101 SET NAMES utf8mb4 */;
DROP TABLE IF EXISTS `met_news`;
CREATE TABLE `met_news` (
  `id` int(11) NOT NULL,
  `title` varchar(200) DEFAULT '' COMMENT 'a, (b',
  PRIMARY KEY (`id`)
) ENGINE=MyISAM;
LOCK TABLES `met_news` WRITE;
INSERT INTO `met_news` VALUES (1,'HP\'s \"x\" \\ \n\r\t\0\Z\b\%\_ '''),(-2,NULL);
UNLOCK TABLES;
