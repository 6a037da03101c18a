﻿#MetInfo.cn Created version:7.2.0
#tablepre:met_
INSERT INTO met_config VALUES(null,'a','x
y','0','en');
